# The tutorial's TCP client, as a netassist script (docs/SCRIPTS.md).
#
#   netassist run examples/tutorial-client.nas
#   netassist run examples/tutorial-client.nas --remote 192.168.1.20:8000
#
# Connects to the tutorial's server, greets it in GBK, and expects its
# reply and then its close (the server closes right after replying).

charset gbk
timeout 5s

connect 127.0.0.1:8000
send "你好服务器,我是客户端"
expect "我是服务器,我已经收到了你的信息!"
expect close
