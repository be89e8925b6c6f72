# netassist — en: profiles. One message per key; { $var } are arguments.
