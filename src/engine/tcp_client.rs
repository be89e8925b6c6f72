//! One TCP client connection: connect (with timeout), then one task that
//! reads and writes, reporting each completed write and each read in order.
