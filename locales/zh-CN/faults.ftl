# netassist — zh-CN: faults. One message per key; { $var } are arguments.
msg-peer-timed-out = 与 { $peer } 的连接已断开：对方不再响应（保活探测或重传均无应答），对方可能已离线或网络中断
msg-client-timed-out = 客户端 { $peer } 已断开：对方不再响应（保活探测或重传均无应答），对方可能已离线或网络中断
label-keepalive = 保活
hint-keepalive = TCP 保活：连接空闲这么多秒后，系统向对方发送探测（共 3 次，间隔相同），对方不再响应则断开连接，免得对方已离线却仍显示“已连接”。0 = 关闭。下次连接或监听时生效。
