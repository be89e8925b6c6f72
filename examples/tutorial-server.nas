# The tutorial's TCP server, as a netassist script (docs/SCRIPTS.md):
# run it, then start the tutorial's client.
#
#   netassist run examples/tutorial-server.nas
#   netassist run examples/tutorial-server.nas --local-port 9000
#
# Listens on port 8000 of every address, waits for one client, expects its
# GBK greeting, replies in GBK and closes the connection.

charset gbk

listen 8000
accept timeout 60s
expect "你好服务器,我是客户端" timeout 10s
send "我是服务器,我已经收到了你的信息!"
close
