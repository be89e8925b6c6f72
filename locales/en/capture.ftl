# netassist — en: a capture opened whole (File ▸ Open capture… of a capture too big for a view).
bigcap-connected = Connected to { $peer } (local address { $local })
bigcap-accepted = Client { $peer } connected (local address { $local })
bigcap-bound = UDP socket bound to { $local }
bigcap-ended = Connection with { $peer } ended: { $reason }
bigcap-udp-closed = UDP socket closed: { $reason }
bigcap-more = { $count ->
    [one] (1 more byte)
   *[other] ({ $count } more bytes)
}
bigcap-indexing = Indexing… { $percent }% ({ $records } records so far)
bigcap-cancel = Cancel
bigcap-cancel-tip = Stop reading the capture and close it
bigcap-whole = Opened whole: scroll anywhere in the file; a row shows at most { $head } bytes of its payload
bigcap-find-wait = Find starts once the capture is indexed
bigcap-size = { $mib } MiB
msg-capture-ends-early = The capture ends early: { $problem }
