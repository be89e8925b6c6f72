//! Tests of the checksums: published check values, byte orders, a real Modbus
//! frame, label parsing, and properties of the simple sums.

use super::*;
use proptest::prelude::*;

const CHECK_INPUT: &[u8] = b"123456789";

#[test]
fn published_check_values() {
    let table: [(ChecksumKind, &[u8]); 6] = [
        (ChecksumKind::Sum8, &[0xDD]),
        (ChecksumKind::Xor8, &[0x31]),
        (ChecksumKind::Crc8, &[0xF4]),
        // 0x4B37, low byte first.
        (ChecksumKind::Crc16Modbus, &[0x37, 0x4B]),
        // 0x29B1, high byte first.
        (ChecksumKind::Crc16CcittFalse, &[0x29, 0xB1]),
        // 0xCBF43926, most significant byte first.
        (ChecksumKind::Crc32, &[0xCB, 0xF4, 0x39, 0x26]),
    ];
    for (kind, want) in table {
        assert_eq!(kind.compute(CHECK_INPUT), want, "{}", kind.label());
    }
}

#[test]
fn modbus_read_holding_registers_frame() {
    // Slave 1, function 3, start 0, count 10: the classic example frame.
    let mut frame = vec![0x01, 0x03, 0x00, 0x00, 0x00, 0x0A];
    append_checksum(&mut frame, ChecksumKind::Crc16Modbus);
    assert_eq!(frame, [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD]);
    // A Modbus frame with its CRC appended low byte first has CRC 0.
    assert_eq!(ChecksumKind::Crc16Modbus.compute(&frame), [0x00, 0x00]);
}

#[test]
fn empty_input() {
    assert_eq!(ChecksumKind::Sum8.compute(&[]), [0x00]);
    assert_eq!(ChecksumKind::Xor8.compute(&[]), [0x00]);
    assert_eq!(ChecksumKind::Crc8.compute(&[]), [0x00]);
    assert_eq!(ChecksumKind::Crc16Modbus.compute(&[]), [0xFF, 0xFF]);
    assert_eq!(ChecksumKind::Crc16CcittFalse.compute(&[]), [0xFF, 0xFF]);
    assert_eq!(ChecksumKind::Crc32.compute(&[]), [0x00, 0x00, 0x00, 0x00]);
}

#[test]
fn sums_wrap() {
    assert_eq!(ChecksumKind::Sum8.compute(&[0xFF, 0x02]), [0x01]);
    assert_eq!(ChecksumKind::Xor8.compute(&[0xFF, 0x0F]), [0xF0]);
    assert_eq!(ChecksumKind::Xor8.compute(&[0x5A, 0x5A]), [0x00]);
}

#[test]
fn append_keeps_payload_and_adds_len_bytes() {
    for kind in ChecksumKind::ALL {
        let mut data = CHECK_INPUT.to_vec();
        append_checksum(&mut data, kind);
        assert_eq!(data.len(), CHECK_INPUT.len() + kind.len(), "{}", kind.label());
        assert_eq!(&data[..CHECK_INPUT.len()], CHECK_INPUT);
        assert_eq!(data[CHECK_INPUT.len()..], kind.compute(CHECK_INPUT));
    }
}

#[test]
fn labels_round_trip_and_are_distinct() {
    let labels = ["SUM8", "XOR8", "CRC-8", "CRC-16/MODBUS", "CRC-16/CCITT-FALSE", "CRC-32"];
    assert_eq!(ChecksumKind::ALL.map(ChecksumKind::label), labels);
    for kind in ChecksumKind::ALL {
        assert_eq!(ChecksumKind::from_label(kind.label()), Some(kind));
        assert_eq!(ChecksumKind::from_label(&kind.label().to_lowercase()), Some(kind));
    }
}

#[test]
fn from_label_aliases() {
    let table = [
        ("sum", ChecksumKind::Sum8),
        ("Sum8", ChecksumKind::Sum8),
        ("xor", ChecksumKind::Xor8),
        ("BCC", ChecksumKind::Xor8),
        ("crc8", ChecksumKind::Crc8),
        ("CRC_8", ChecksumKind::Crc8),
        ("crc16/modbus", ChecksumKind::Crc16Modbus),
        ("modbus", ChecksumKind::Crc16Modbus),
        ("CRC16", ChecksumKind::Crc16Modbus),
        ("crc-16 modbus", ChecksumKind::Crc16Modbus),
        ("crc16-ccitt-false", ChecksumKind::Crc16CcittFalse),
        ("CCITT", ChecksumKind::Crc16CcittFalse),
        ("CRC-16/IBM-3740", ChecksumKind::Crc16CcittFalse),
        ("crc32", ChecksumKind::Crc32),
        (" CRC-32 ", ChecksumKind::Crc32),
        ("crc-32/iso-hdlc", ChecksumKind::Crc32),
    ];
    for (name, want) in table {
        assert_eq!(ChecksumKind::from_label(name), Some(want), "{name:?}");
    }
    for name in ["", "crc", "crc64", "md5", "crc-16/xmodem", "sum16"] {
        assert_eq!(ChecksumKind::from_label(name), None, "{name:?}");
    }
}

proptest! {
    #[test]
    fn compute_has_len_bytes(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        for kind in ChecksumKind::ALL {
            prop_assert_eq!(kind.compute(&data).len(), kind.len());
        }
    }

    #[test]
    fn sum8_and_xor8_match_their_definitions(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let sum = data.iter().map(|&b| u32::from(b)).sum::<u32>() % 256;
        prop_assert_eq!(ChecksumKind::Sum8.compute(&data), vec![sum as u8]);
        let xor = data.iter().fold(0, |acc, &b| acc ^ b);
        prop_assert_eq!(ChecksumKind::Xor8.compute(&data), vec![xor]);
    }

    #[test]
    fn appended_crc_checks_to_the_residue(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        // The catalogue's residues: appending the CRC in the algorithm's own
        // bit order gives a known remainder. MODBUS (reflected) is appended
        // low byte first and CCITT-FALSE / CRC-8 (not reflected) high byte
        // first, so both check to 0, which confirms the chosen byte orders.
        for kind in [ChecksumKind::Crc8, ChecksumKind::Crc16Modbus, ChecksumKind::Crc16CcittFalse] {
            let mut frame = data.clone();
            append_checksum(&mut frame, kind);
            prop_assert!(kind.compute(&frame).iter().all(|&b| b == 0), "{}", kind.label());
        }
    }
}

proptest! {
    #[test]
    fn checksums_never_panic(data in proptest::collection::vec(any::<u8>(), 0..4096), label in "\\PC{0,24}") {
        for kind in ChecksumKind::ALL {
            prop_assert_eq!(kind.compute(&data).len(), kind.len());
            let mut framed = data.clone();
            append_checksum(&mut framed, kind);
            prop_assert_eq!(&framed[..data.len()], &data[..]);
            prop_assert_eq!(ChecksumKind::from_label(kind.label()), Some(kind));
        }
        if let Some(kind) = ChecksumKind::from_label(&label) {
            prop_assert!(ChecksumKind::ALL.contains(&kind));
        }
    }
}
