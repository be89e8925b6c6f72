//! TCP: a client connection (`client`), a listener and its accepted clients
//! (`server`), and what both do once connected (`stream`: reading, writing,
//! half-close, the send queue).

pub(super) mod client;
pub(super) mod server;
pub(super) mod stream;
