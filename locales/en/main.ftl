# netassist — English catalog. One message per key; { $var } are arguments.
protocol-tcp-client = TCP client
protocol-tcp-server = TCP server
protocol-udp = UDP
send-mode-text = as text
send-mode-hex = as hex
view-mode-text = Text
view-mode-hex = Hex
view-mode-text-hex = Text+Hex
menu-language = Language
label-protocol = Protocol
label-local-address = Local address
label-local-port = Local port
label-remote-host = Remote host
label-remote-port = Remote port
button-connect = Connect
button-disconnect = Disconnect
button-send = Send
button-reset-counters = Reset counters
clients-count = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
bytes-count = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
msg-connected = Connected to { $peer }
msg-peer-closed = The peer closed the connection
