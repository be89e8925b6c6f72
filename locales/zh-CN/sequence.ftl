# netassist — zh-CN: sequence. One message per key; { $var } are arguments.
