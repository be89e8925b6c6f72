# netassist — en: faults. One message per key; { $var } are arguments.
msg-peer-timed-out = Connection to { $peer } ended: the peer stopped answering (keepalive probes or retransmissions went unanswered); it may be gone, or the network down
msg-client-timed-out = Client { $peer } dropped: it stopped answering (keepalive probes or retransmissions went unanswered); it may be gone, or the network down
label-keepalive = Keepalive
hint-keepalive = TCP keepalive: after this many seconds without traffic the system probes the peer (3 probes, this far apart) and ends the connection if it no longer answers, so a dead peer does not stay "Connected". 0 = off. Used at the next Connect or Listen.
