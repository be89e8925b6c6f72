# netassist — zh-CN: find. One message per key; { $var } are arguments.
