# Modbus RTU over TCP (e.g. a serial-to-Ethernet gateway), in hex:
# read 10 holding registers from address 0 of device 1, three times.
#
#   netassist run examples/modbus-read.nas --remote 192.168.1.50:502
#
# The request's CRC-16/MODBUS is computed at send time and appended low
# byte first, as Modbus requires: 01 03 00 00 00 0A goes out as
# 01 03 00 00 00 0A C5 CD. The reply must start with the device address,
# the function code and the byte count (20 bytes: 10 registers).

timeout 2s
connect 127.0.0.1:502

repeat 3 {
    send hex "01 03 00 00 00 0A" checksum crc16-modbus
    expect hex "01 03 14"
    wait 500ms
}
close
