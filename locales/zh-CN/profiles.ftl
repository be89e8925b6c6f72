# netassist — zh-CN: profiles. One message per key; { $var } are arguments.
