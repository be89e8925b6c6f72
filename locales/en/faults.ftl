# netassist — en: faults. One message per key; { $var } are arguments.
