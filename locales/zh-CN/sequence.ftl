# netassist — zh-CN: 变量、序列与脚本。每个键一条消息;{ $var } 为参数。

vars-unclosed = 无法发送:第 { $pos } 个字符处的变量没有闭合 —— 请补上 {"}"}(字面的 ${"{"} 请写成 $${"{"})
vars-bad-name = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $name }{"}"} 不是变量 —— 可用 seq、time、date、unix_ms、rand:最小:最大、rand_hex:N、rx、分组序号,或由字母、数字和 _ 组成的名称
vars-args-rand = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $written }{"}"} 有误 —— 请写成 ${"{"}rand:最小:最大{"}"},两者为整数且最小 ≤ 最大,例如 ${"{"}rand:0:255{"}"}
vars-args-rand-hex = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $written }{"}"} 有误 —— 请写成 ${"{"}rand_hex:N{"}"},N 为 1 到 1024 位十六进制数,例如 ${"{"}rand_hex:4{"}"}
vars-args-group = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $written }{"}"} 有误 —— 正则分组是 0 到 999 的序号,不带参数
vars-args-none = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $written }{"}"} 有误 —— 该变量在 ':' 后不带参数
vars-unset = 无法发送:第 { $pos } 个字符处的 ${"{"}{ $name }{"}"} 没有值 —— 没有匹配到该正则分组,也没有设置该变量
vars-unencodable = 无法发送:第 { $pos } 个字符处变量的值含有 '{ $char }',{ $charset } 无法编码
vars-bad-hex = 无法发送:填入变量后十六进制无效:{ $error }(在 '{ $text }' 中)
vars-seq-start = ${"{"}seq{"}"} 起始
vars-seq-step = 步长
vars-seq-next = 下一个:{ $value }
vars-seq-reset = 复位
vars-seq-reset-hover = 让 ${"{"}seq{"}"} 从起始值重新计数
seq-header = 序列
seq-run = 运行
seq-step = 单步
seq-step-hover = 只运行下一步
seq-stop = 停止
seq-open = 打开脚本…
seq-save-as = 另存为脚本…
seq-passed = 所有步骤通过
seq-failed = 有步骤失败
seq-steps = 步骤(脚本格式,见 docs/SCRIPTS.md)
seq-row = { $passed ->
    [yes] 通过
   *[no] 失败
} 第 { $line } 行:{ $step }({ $ms })
seq-parse = 序列无法运行:第 { $line } 行第 { $col } 列:{ $error }
seq-no-link = 序列在本标签页的连接上运行:请先连接(或监听并接入一个客户端,或打开 UDP)
seq-stopped = 序列已停止
seq-file = 无法使用脚本文件 { $path }:{ $error }
seq-steps-field = 序列步骤
seq-script-files = netassist 脚本
