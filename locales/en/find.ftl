# netassist — en: find. One message per key; { $var } are arguments.
