//! The three pcapng blocks an export needs, written by hand: a Section
//! Header Block, one Interface Description Block (link type RAW: each packet
//! starts with its IPv4 or IPv6 header) and Enhanced Packet Blocks with
//! microsecond timestamps.
//!
//! Why not the `pcap-file` crate: its last release (2.0, 2022) writes packet
//! timestamps as nanoseconds while its interface blocks default to
//! microseconds (so every time is off by 1000x unless each caller knows to
//! add an option), and 3.0 has been a release candidate for years. These
//! blocks are a few dozen lines of a stable, fully specified format
//! (draft-ietf-opsawg-pcapng), checked here and by tshark in
//! `tests/export_pcapng.rs`.

use std::io::{self, Write};

/// LINKTYPE_RAW: a packet is an IPv4 or IPv6 datagram, no link-layer header.
pub const LINKTYPE_RAW: u16 = 101;

/// Writes a pcapng section with one interface to `out`.
pub struct PcapngWriter<W: Write> {
    out: W,
    /// Packets written.
    packets: u64,
}

impl<W: Write> PcapngWriter<W> {
    /// Writes the section header (naming `application` in `shb_userappl`)
    /// and the interface description (link type RAW, microsecond times).
    pub fn new(mut out: W, application: &str) -> io::Result<Self> {
        let mut options = Vec::new();
        push_option(&mut options, 4, application.as_bytes()); // shb_userappl
        end_options(&mut options);
        let mut body = Vec::with_capacity(16 + options.len());
        body.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes()); // byte-order magic
        body.extend_from_slice(&1u16.to_le_bytes()); // major version
        body.extend_from_slice(&0u16.to_le_bytes()); // minor version
        body.extend_from_slice(&(-1i64).to_le_bytes()); // section length: not given
        body.extend_from_slice(&options);
        write_block(&mut out, 0x0A0D_0D0A, &body)?;

        let mut body = Vec::with_capacity(8);
        body.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes()); // reserved
        body.extend_from_slice(&0u32.to_le_bytes()); // snap length: no limit
        // No if_tsresol option: the default resolution is microseconds.
        write_block(&mut out, 1, &body)?;
        Ok(Self { out, packets: 0 })
    }

    /// Writes one packet (an IP datagram) taken at `micros` microseconds
    /// since the Unix epoch (a time before it is written as the epoch).
    pub fn write_packet(&mut self, micros: i64, packet: &[u8]) -> io::Result<()> {
        let micros = u64::try_from(micros).unwrap_or(0);
        let len = u32::try_from(packet.len()).map_err(|_| io::Error::other("packet over 4 GiB"))?;
        let padded = packet.len().next_multiple_of(4);
        let total = u32::try_from(32 + padded).map_err(|_| io::Error::other("packet over 4 GiB"))?;
        let mut head = [0u8; 28];
        head[0..4].copy_from_slice(&6u32.to_le_bytes()); // Enhanced Packet Block
        head[4..8].copy_from_slice(&total.to_le_bytes());
        head[8..12].copy_from_slice(&0u32.to_le_bytes()); // interface 0
        head[12..16].copy_from_slice(&((micros >> 32) as u32).to_le_bytes());
        head[16..20].copy_from_slice(&(micros as u32).to_le_bytes());
        head[20..24].copy_from_slice(&len.to_le_bytes()); // captured length
        head[24..28].copy_from_slice(&len.to_le_bytes()); // original length
        self.out.write_all(&head)?;
        self.out.write_all(packet)?;
        self.out.write_all(&[0u8; 3][..padded - packet.len()])?;
        self.out.write_all(&total.to_le_bytes())?;
        self.packets += 1;
        Ok(())
    }

    /// Packets written so far.
    pub fn packets(&self) -> u64 {
        self.packets
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes a block: type, total length, `body` (a multiple of 4 bytes), total length.
fn write_block(out: &mut impl Write, kind: u32, body: &[u8]) -> io::Result<()> {
    debug_assert!(body.len().is_multiple_of(4));
    let total = u32::try_from(12 + body.len()).map_err(|_| io::Error::other("block over 4 GiB"))?;
    out.write_all(&kind.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    out.write_all(body)?;
    out.write_all(&total.to_le_bytes())
}

/// Appends option `code` with `value`, padded to 4 bytes.
fn push_option(options: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = &value[..value.len().min(usize::from(u16::MAX) - 3)];
    options.extend_from_slice(&code.to_le_bytes());
    options.extend_from_slice(&(value.len() as u16).to_le_bytes());
    options.extend_from_slice(value);
    options.resize(options.len().next_multiple_of(4), 0);
}

/// Appends opt_endofopt.
fn end_options(options: &mut Vec<u8>) {
    options.extend_from_slice(&[0; 4]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
    }

    #[test]
    fn blocks_are_laid_out_as_the_format_says() {
        let mut writer = PcapngWriter::new(Vec::new(), "netassist").unwrap();
        writer.write_packet(0x1_0000_0002, &[0x45, 1, 2, 3, 4]).unwrap();
        writer.write_packet(-5, &[]).unwrap();
        assert_eq!(writer.packets(), 2);
        let file = writer.finish().unwrap();

        // Section header: type, length at both ends, byte-order magic, version 1.0.
        assert_eq!(u32_at(&file, 0), 0x0A0D_0D0A);
        let shb = u32_at(&file, 4) as usize;
        assert_eq!(u32_at(&file, shb - 4), shb as u32);
        assert_eq!(&file[8..12], &[0x4D, 0x3C, 0x2B, 0x1A]);
        assert_eq!(&file[12..16], &[1, 0, 0, 0]);
        assert_eq!(&file[24..28], &[4, 0, 9, 0], "shb_userappl, 9 bytes");
        assert_eq!(&file[28..37], b"netassist");

        // Interface: RAW, no snap length limit.
        let idb = shb;
        assert_eq!(u32_at(&file, idb), 1);
        assert_eq!(u32_at(&file, idb + 4), 20);
        assert_eq!(&file[idb + 8..idb + 10], &LINKTYPE_RAW.to_le_bytes());

        // Packet: times split high/low, lengths, padding, trailing length.
        let epb = idb + 20;
        assert_eq!(u32_at(&file, epb), 6);
        assert_eq!(u32_at(&file, epb + 4), 40);
        assert_eq!((u32_at(&file, epb + 12), u32_at(&file, epb + 16)), (1, 2));
        assert_eq!((u32_at(&file, epb + 20), u32_at(&file, epb + 24)), (5, 5));
        assert_eq!(&file[epb + 28..epb + 36], &[0x45, 1, 2, 3, 4, 0, 0, 0]);
        assert_eq!(u32_at(&file, epb + 36), 40);

        // A time before the epoch is the epoch; an empty packet is 32 bytes.
        let second = epb + 40;
        assert_eq!(u32_at(&file, second + 4), 32);
        assert_eq!((u32_at(&file, second + 12), u32_at(&file, second + 16)), (0, 0));
        assert_eq!(file.len(), second + 32);
    }
}
