# netassist — en: profiles. One message per key; { $var } are arguments.
profiles-kept = A byte-identical copy was kept as { $copy }.
profiles-not-kept = No copy could be kept: { $error }
profiles-newer = Profiles from a newer netassist — { $path } was written by a newer netassist (format { $version }; this one writes { $current }). Its profiles are loaded as far as this version understands them; what it does not know would be lost, so the file is left untouched until you choose "Start a new file". { $kept }
profiles-not-a-file = Profiles not loaded — { $path } is { $kind }, not a regular file. It was not read and is left as it is; "Start a new file" moves it aside and writes a new one.
profiles-kind-fifo = a named pipe (FIFO)
profiles-kind-device = a device
profiles-kind-socket = a socket
profiles-kind-other = something else
profiles-too-large = Profiles not loaded — { $path } is { $size } bytes, more than the { $limit } a profiles file may have. It was not read and is left as it is; "Start a new file" moves it aside and writes a new one.
profiles-renamed-item = "{ $original }" ({ $chars } characters) is now "{ $name }"
profiles-names-fixed = { $count ->
    [one] A profile name in the profiles file breaks the naming rules; it was loaded under a valid name
   *[other] { $count } profile names in the profiles file break the naming rules; they were loaded under valid names
}: { $list }. { $kept }
msg-not-saved-newer = Not saved: the profiles file was written by a newer netassist (format { $version }) and is kept as it is; choose "Start a new file" in the banner to replace it.
