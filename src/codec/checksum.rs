//! Checksums the send box can append to a payload: simple sums and the CRCs
//! serial and industrial devices use, each written in the byte order those
//! devices expect (documented per variant).

use crc::{CRC_8_SMBUS, CRC_16_IBM_3740, CRC_16_MODBUS, CRC_32_ISO_HDLC, Crc};

/// CRC-8 (SMBus): poly 0x07, init 0, no reflection, no final xor.
static CRC8: Crc<u8> = Crc::<u8>::new(&CRC_8_SMBUS);
/// CRC-16/MODBUS: poly 0x8005 reflected, init 0xFFFF.
static CRC16_MODBUS: Crc<u16> = Crc::<u16>::new(&CRC_16_MODBUS);
/// CRC-16/IBM-3740, better known as CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection.
static CRC16_CCITT_FALSE: Crc<u16> = Crc::<u16>::new(&CRC_16_IBM_3740);
/// CRC-32/ISO-HDLC: the zip / Ethernet / PNG CRC-32.
static CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// A checksum appended after the payload.
///
/// The check values below are each algorithm's result over the ASCII bytes
/// `123456789`, as published in the CRC catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChecksumKind {
    /// SUM8: the sum of all bytes modulo 256, one byte. Check value 0xDD.
    Sum8,
    /// XOR8 (also called BCC): all bytes xor-ed together, one byte. Check value 0x31.
    Xor8,
    /// CRC-8 (CRC-8/SMBUS: poly 0x07, init 0x00), one byte. Check value 0xF4.
    Crc8,
    /// CRC-16/MODBUS, two bytes appended **little-endian** (low byte first), as the
    /// Modbus RTU specification requires: check value 0x4B37 is appended as `37 4B`.
    Crc16Modbus,
    /// CRC-16/CCITT-FALSE (CRC-16/IBM-3740: poly 0x1021, init 0xFFFF), two bytes
    /// appended **big-endian** (high byte first), as device manuals print it:
    /// check value 0x29B1 is appended as `29 B1`.
    Crc16CcittFalse,
    /// CRC-32 (CRC-32/ISO-HDLC, the zip / Ethernet one), four bytes appended
    /// **big-endian** (most significant byte first), as device protocol documents
    /// usually print it: check value 0xCBF43926 is appended as `CB F4 39 26`.
    /// (Ethernet's FCS and zip store it little-endian; this does not.)
    Crc32,
}

impl ChecksumKind {
    /// Every checksum, in the order the UI lists them.
    pub const ALL: [ChecksumKind; 6] = [
        ChecksumKind::Sum8,
        ChecksumKind::Xor8,
        ChecksumKind::Crc8,
        ChecksumKind::Crc16Modbus,
        ChecksumKind::Crc16CcittFalse,
        ChecksumKind::Crc32,
    ];

    /// Name shown in the UI, e.g. "SUM8", "CRC-16/MODBUS".
    pub fn label(self) -> &'static str {
        match self {
            ChecksumKind::Sum8 => "SUM8",
            ChecksumKind::Xor8 => "XOR8",
            ChecksumKind::Crc8 => "CRC-8",
            ChecksumKind::Crc16Modbus => "CRC-16/MODBUS",
            ChecksumKind::Crc16CcittFalse => "CRC-16/CCITT-FALSE",
            ChecksumKind::Crc32 => "CRC-32",
        }
    }

    /// Parses a user-supplied name, case-insensitively and ignoring `-`, `_`,
    /// `/`, `.` and spaces: the labels, plus "sum", "xor", "bcc", "crc8",
    /// "smbus", "modbus", "crc16" (→ MODBUS, what serial tools usually mean),
    /// "ccitt", "crc16ccitt", "ibm3740" (→ CCITT-FALSE), "crc32", "isohdlc", "zip".
    pub fn from_label(name: &str) -> Option<ChecksumKind> {
        let key: String = name
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | '/' | '.') && !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let kind = match key.as_str() {
            "sum8" | "sum" | "checksum8" | "add8" => ChecksumKind::Sum8,
            "xor8" | "xor" | "bcc" => ChecksumKind::Xor8,
            "crc8" | "crc8smbus" | "smbus" => ChecksumKind::Crc8,
            "crc16modbus" | "modbus" | "crc16" => ChecksumKind::Crc16Modbus,
            "crc16ccittfalse" | "ccittfalse" | "crc16ccitt" | "ccitt" | "crc16ibm3740" | "ibm3740" => {
                ChecksumKind::Crc16CcittFalse
            }
            "crc32" | "crc32isohdlc" | "isohdlc" | "zip" => ChecksumKind::Crc32,
            _ => return None,
        };
        Some(kind)
    }

    /// Number of bytes appended.
    #[allow(clippy::len_without_is_empty, reason = "a checksum is never empty")]
    pub fn len(self) -> usize {
        match self {
            ChecksumKind::Sum8 | ChecksumKind::Xor8 | ChecksumKind::Crc8 => 1,
            ChecksumKind::Crc16Modbus | ChecksumKind::Crc16CcittFalse => 2,
            ChecksumKind::Crc32 => 4,
        }
    }

    /// The checksum of `data` as the bytes to append, in the order documented
    /// on each variant; always [`ChecksumKind::len`] bytes.
    pub fn compute(self, data: &[u8]) -> Vec<u8> {
        match self {
            ChecksumKind::Sum8 => vec![data.iter().fold(0u8, |acc, &b| acc.wrapping_add(b))],
            ChecksumKind::Xor8 => vec![data.iter().fold(0u8, |acc, &b| acc ^ b)],
            ChecksumKind::Crc8 => vec![CRC8.checksum(data)],
            ChecksumKind::Crc16Modbus => CRC16_MODBUS.checksum(data).to_le_bytes().to_vec(),
            ChecksumKind::Crc16CcittFalse => CRC16_CCITT_FALSE.checksum(data).to_be_bytes().to_vec(),
            ChecksumKind::Crc32 => CRC32.checksum(data).to_be_bytes().to_vec(),
        }
    }
}

/// Appends the checksum of `data` (all of it, as it is before the call) to `data`.
pub fn append_checksum(data: &mut Vec<u8>, kind: ChecksumKind) {
    let sum = kind.compute(data);
    data.extend_from_slice(&sum);
}

#[cfg(test)]
#[path = "checksum_tests.rs"]
mod tests;
