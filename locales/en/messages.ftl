# netassist — en: messages. One message per key; { $var } are arguments.
