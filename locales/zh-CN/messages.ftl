# netassist — zh-CN: messages. One message per key; { $var } are arguments.
