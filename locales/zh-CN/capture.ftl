# netassist — zh-CN: 完整打开的抓包文件（“文件 ▸ 打开抓包文件…”打开超出视图上限的抓包）。
bigcap-connected = 已连接到 { $peer }（本地地址 { $local }）
bigcap-accepted = 客户端 { $peer } 已连接（本地地址 { $local }）
bigcap-bound = UDP 套接字已绑定到 { $local }
bigcap-ended = 与 { $peer } 的连接已断开：{ $reason }
bigcap-udp-closed = UDP 套接字已关闭：{ $reason }
bigcap-more = { $count ->
   *[other] （还有 { $count } 字节）
}
bigcap-indexing = 正在建立索引… { $percent }%（已索引 { $records } 条记录）
bigcap-cancel = 取消
bigcap-cancel-tip = 停止读取并关闭此抓包文件
bigcap-whole = 已完整打开：可滚动到文件任意位置；每行最多显示 { $head } 字节数据
bigcap-find-wait = 索引建立完成后即可查找
bigcap-size = { $mib } MiB
msg-capture-ends-early = 抓包文件提前结束：{ $problem }
