# netassist — zh-CN: profiles. One message per key; { $var } are arguments.
profiles-kept = 已保留一份逐字节相同的副本：{ $copy }。
profiles-not-kept = 无法保留副本：{ $error }
profiles-newer = 配置文件来自更新版本的 netassist — { $path } 由更新版本的 netassist 写入（格式 { $version }，本版本写入格式 { $current }）。已按本版本能理解的部分载入其中的配置；本版本不认识的内容会丢失，因此在你选择“新建文件”之前不会改写该文件。{ $kept }
profiles-not-a-file = 配置未载入 — { $path } 是{ $kind }，不是普通文件。未读取，保持原样；“新建文件”会把它移到一旁并写入新文件。
profiles-kind-fifo = 命名管道（FIFO）
profiles-kind-device = 设备文件
profiles-kind-socket = 套接字文件
profiles-kind-other = 其他类型的文件
profiles-too-large = 配置未载入 — { $path } 有 { $size } 字节，超过配置文件的上限 { $limit } 字节。未读取，保持原样；“新建文件”会把它移到一旁并写入新文件。
profiles-renamed-item = “{ $original }”（{ $chars } 个字符）现名为“{ $name }”
profiles-names-fixed = { $count ->
    [one] 配置文件中有 1 个配置名称不符合命名规则，已改用有效名称载入
   *[other] 配置文件中有 { $count } 个配置名称不符合命名规则，已改用有效名称载入
}：{ $list }。{ $kept }
msg-not-saved-newer = 未保存：配置文件由较新版本的 netassist 写入（格式 { $version }），已保持原样；在提示栏中选择“新建配置文件”来替换它。
