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
conn-protocol = Protocol
conn-remote-host = Remote host
conn-remote-host-hint = IP or host name
conn-remote-port = Remote port
conn-local-port = Local port
conn-any-port = any
conn-free-port = 0 = any free port
conn-timeout = Timeout (s)
conn-auto-reconnect = Auto-reconnect
conn-auto-reconnect-tip = Connect again after 1 s, 2 s, 4 s … 30 s when the connection ends on its own
conn-max-clients = Max clients
conn-broadcast = Allow broadcast
conn-udp-remote-hint = where Send goes
conn-reply-last = Reply to last sender
conn-charset = Charset
conn-reconnecting-in = Reconnecting in { $secs } s (attempt { $attempt })
conn-stop-reconnecting = Stop reconnecting
button-listen = Listen
button-open = Open
button-cancel = Cancel
button-stop = Stop
button-close = Close
conn-half-close = Keep open after FIN
conn-half-close-tip = Half-close: when the peer finishes sending (its FIN, e.g. shutdown(SHUT_WR)), keep the connection open: you can still send, and Disconnect (or Kick) closes it. Off: the peer's FIN ends the connection.
conn-local-address = Local address
conn-all-interfaces = { $address }  (all interfaces)
conn-addresses-tip = Addresses of this machine
rules-window = Auto-reply rules
rules-add = Add rule
rules-intro = When received data matches, the reply is sent to whoever sent it (first matching rule wins; text uses the session charset, escapes such as \r\n allowed).
rules-on = On
rules-name = Name
rules-when = When received
rules-pattern = Pattern
rules-reply = Reply
rules-reply-data = Reply data
rules-checksum = Checksum
rules-delay = Delay
rules-default-name = rule { $n }
rules-a11y-on = Rule { $n } on
rules-a11y-name = Rule { $n } name
rules-a11y-match = Rule { $n } match
rules-a11y-pattern = Rule { $n } pattern
rules-a11y-reply-kind = Rule { $n } reply kind
rules-a11y-reply = Rule { $n } reply
rules-a11y-checksum = Rule { $n } checksum
rules-a11y-delay = Rule { $n } delay
rules-echo-data = (what was received)
checksum-none = none
button-delete = Delete
rules-switch = Auto-reply ({ $count } rules)
rules-switch-tip = Answer matching data automatically, on the network thread
rules-open = Rules…
match-contains = contains text
match-starts-with = starts with text
match-regex = matches regex
match-hex = contains hex
match-any = anything
reply-kind-text = text
reply-kind-hex = hex
reply-kind-echo = echo
button-dismiss = Dismiss
banner-new-file = Start a new file
capture-charset = Capture charset
capture-close = Close capture
capture-title = Capture: { $name }
capture-read-only = read-only
capture-facts = { $records } records · { $bytes } payload bytes
capture-dropped = the oldest { $count } records are not shown (view limit)
capture-skipped = { $count } records of unknown kinds skipped
capture-problem = Read up to a problem: { $problem }
files-log = Log to file
files-log-tip = A text log of the session, as shown, one file per session
files-open-folder = Open log folder
files-capture = Capture every byte (lossless)
files-capture-tip = Every byte sent and received, with µs timestamps, to a capture file; File ▸ Open capture… reads it back
framing-label = Records
framing-delimiter = Delimiter (hex)
framing-idle-gap = Idle gap (ms)
framing-as-received = as received
framing-lf = split at \n
framing-crlf = split at \r\n
framing-custom = split at hex bytes
framing-idle = split after idle gap
framing-tip = How TCP data is cut into records for display; counters, logs of reads and captures are unaffected
framing-not-hex = not hex bytes
jobs-start-repeat = Start repeat
jobs-stop-repeat = Stop repeat
jobs-send-file = Send file…
jobs-cancel-file = Cancel file
jobs-interval = Repeat every
jobs-count = times (0 = ∞)
jobs-repeating = Repeating: { $items } sent ({ $bytes } B)
jobs-count-tip = How many times; 0 = until stopped
jobs-start-repeat-tip = Send the send box's bytes on a timer
jobs-send-file-tip = Stream a file of any size in chunks
jobs-datagram = datagram
jobs-chunk = chunk
menu-file = File
menu-open-capture = Open capture…
menu-close-capture = Close capture
menu-save-view = Save receive view as…
menu-open-log-folder = Open log folder
menu-quit = Quit
menu-view = View
menu-theme-system = Theme: as the system
menu-theme-light = Theme: light
menu-theme-dark = Theme: dark
menu-text-bigger = Larger text
menu-text-smaller = Smaller text
menu-text-reset = Default text size
peers-clients = Clients ({ $count })
peers-all = All
peers-all-tip = Send to every client
peers-none-yet = No client connected yet.
peers-press-listen = Press Listen, then clients show here.
peers-details = { $peer } since { $since } · RX { $rx } B · TX { $tx } B
peers-kick = Kick
peers-kick-tip = Disconnect { $peer }
mcast-title = Multicast
mcast-group = Group
mcast-group-hint = e.g. 239.255.0.1
mcast-interface = Interface
mcast-ttl = TTL / hops
mcast-loop = Loopback
mcast-join = Join group
mcast-leave = Leave
perf-title = Performance (F12)
presets-name = Preset name
presets-title = Quick send
presets-hint = Click sends; right-click to edit or delete.
presets-empty = No presets yet: type a payload in the send box, name it below, Add.
presets-load = Load into the send box
presets-name-hint = e.g. read registers
presets-add = Add from send box
profiles-label = Profile
profiles-none = (unsaved session)
profiles-name = Profile name
profiles-disconnect-first = Disconnect first to switch profiles.
profiles-unsaved = * unsaved changes
profiles-save = Save
profiles-save-as = Save as…
profiles-rename = Rename…
profiles-duplicate = Duplicate…
profiles-delete = Delete…
profiles-ask-save-as = Save these settings as a new profile:
profiles-ask-rename = New name for this profile:
profiles-ask-duplicate = Name of the copy:
button-ok = OK
profiles-confirm-delete = Delete profile "{ $name }"? This cannot be undone.
profiles-yes-delete = Yes, delete
profiles-confirm-overwrite = Another tab saved "{ $name }" since this tab opened it. Save over its changes with these settings?
profiles-yes-overwrite = Yes, overwrite
receive-title = Receive
receive-resume = Resume
receive-pause = Pause
receive-pause-tip = Freeze the display; data keeps arriving and being counted
receive-clear = Clear view
receive-clear-tip = Clears the view only: counters, the log and the capture keep everything
receive-paused = Display paused · { $count } new records waiting
receive-stats = { $records } records · { $kib } KiB in view
send-title = Outgoing
send-shortcut-hint = Ctrl+Enter sends
send-hint-text = Text to send, in the chosen charset
send-hint-hex = Hex bytes, e.g. C4 E3 BA C3
send-data = Send data
send-tip = Send (Ctrl+Enter)
send-tip-closed = Not connected
send-escapes = Escapes
send-escapes-tip = \r \n \t \\ \0 \xNN (a raw byte) and \uXXXX (a character in the charset)
send-append = Append
send-checksum = Checksum
status-idle = Disconnected
status-connecting = Connecting to { $target }…
status-connected = Connected { $local } → { $peer }
status-opening-server = Opening TCP server on { $local }…
status-opening-udp = Opening UDP socket on { $local }…
status-listening = Listening on { $local } · { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
status-udp = UDP bound to { $local }
status-rx = RX { $bytes } B / { $packets } pkt
status-tx = TX { $bytes } B / { $packets } pkt
status-reset-tip = Set this tab's RX and TX counters to zero (the view, log and capture are untouched)
status-dropped = { $count } records dropped from view
status-dropped-tip = The view keeps a bounded history; the oldest records leave it first.
tabs-new = New tab
tabs-name = Tab name
tabs-rename = Rename…
tabs-move-left = Move left
tabs-move-right = Move right
tabs-beside = Show beside the tab in view
tabs-one-at-a-time = One tab at a time
tabs-close = Close
tabs-close-tip = Close this tab (Ctrl+W)
tabs-from-profile = From a profile:
tabs-confirm-title = Close tab?
tabs-confirm-close = "{ $title }" is connected or capturing. Close it, and its connection?
tabs-close-tab = Close tab
tabs-keep = Keep it
app-subtitle = network debugging assistant
view-gap-rx-reads = ⋯ not shown: { $bytes } in { $count ->
    [one] { $count } read
   *[other] { $count } reads
} received from { $peer } — they came faster than the view can show them; the counters (and a capture, if on) have every byte
view-gap-rx-datagrams = ⋯ not shown: { $bytes } in { $count ->
    [one] { $count } datagram
   *[other] { $count } datagrams
} received from { $peer } — they came faster than the view can show them; the counters (and a capture, if on) have every byte
view-gap-tx-reads = ⋯ not shown: { $bytes } in { $count ->
    [one] { $count } read
   *[other] { $count } reads
} sent to { $peer } — they came faster than the view can show them; the counters (and a capture, if on) have every byte
view-gap-tx-datagrams = ⋯ not shown: { $bytes } in { $count ->
    [one] { $count } datagram
   *[other] { $count } datagrams
} sent to { $peer } — they came faster than the view can show them; the counters (and a capture, if on) have every byte
receive-wrap = Wrap lines
receive-wrap-tip = Long lines wrap at the view's width; off: they scroll sideways
unit-ms = {" ms"}
unit-bytes = {" B"}
peers-rx-tx = RX { $rx } · TX { $tx }
view-reply-after = , reply after { $ms } ms
