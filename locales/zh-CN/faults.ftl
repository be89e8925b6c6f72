# netassist — zh-CN: faults. One message per key; { $var } are arguments.
