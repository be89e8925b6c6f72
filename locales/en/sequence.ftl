# netassist — en: sequence. One message per key; { $var } are arguments.
