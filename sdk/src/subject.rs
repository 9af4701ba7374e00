//! Subject ids (the 32-byte id of an item whose trace the chain keeps) derived from the codes
//! printed on products, so a phone that scans a code finds the item's trace without a lookup
//! service.
//!
//! A GS1-identified item (GTIN, AI 01, and serial number, AI 21, as a GS1 Digital Link URI
//! carries them: `https://example.com/01/09506000134352/21/ABC123`) has the subject id
//! `blake2-256("VIoT/gs1/01/" ++ GTIN-14 ++ "/21/" ++ serial)`: the GTIN as 14 digits (GTIN-8,
//! -12 and -13 padded with leading zeros, as GS1 Digital Link does) and the serial as printed.
//! A brand that anchors events of an item under this id lets anyone holding the item find them.

use viot_primitives::anchor::SubjectId;

use crate::Error;

/// The GTIN as the 14 digits of GS1 Digital Link: digits only, 8, 12, 13 or 14 of them, with a
/// valid check digit; shorter GTINs padded with leading zeros.
pub fn gtin14(gtin: &str) -> Result<String, Error> {
	let digits = gtin.as_bytes();
	if !matches!(digits.len(), 8 | 12 | 13 | 14) || !digits.iter().all(u8::is_ascii_digit) {
		return Err(Error::InvalidGtin("8, 12, 13 or 14 digits"));
	}
	let padded = format!("{gtin:0>14}");
	let bytes = padded.as_bytes();
	// GS1 check digit: weights 3, 1, 3, … from the digit left of the check digit.
	let sum: u32 = bytes[..13]
		.iter()
		.rev()
		.enumerate()
		.map(|(i, digit)| u32::from(digit - b'0') * if i % 2 == 0 { 3 } else { 1 })
		.sum();
	if u32::from(bytes[13] - b'0') != (10 - sum % 10) % 10 {
		return Err(Error::InvalidGtin("a wrong check digit"));
	}
	Ok(padded)
}

/// Whether `serial` is a GS1 serial number (AI 21): 1 to 20 characters of GS1's character set
/// 82 (letters, digits and `!"%&'()*+,-./:;<=>?_`).
fn valid_serial(serial: &str) -> bool {
	(1..=20).contains(&serial.len())
		&& serial
			.bytes()
			.all(|c| c.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&c))
}

/// The subject id of the item with this GTIN and serial number (see the module's docs).
pub fn gs1_subject(gtin: &str, serial: &str) -> Result<SubjectId, Error> {
	let gtin = gtin14(gtin)?;
	if !valid_serial(serial) {
		return Err(Error::InvalidSerial);
	}
	let text = format!("VIoT/gs1/01/{gtin}/21/{serial}");
	Ok(sp_crypto_hashing::blake2_256(text.as_bytes()))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn gtins_are_checked_and_padded_to_14_digits() {
		// GS1's own examples.
		assert_eq!(gtin14("09506000134352").unwrap(), "09506000134352");
		assert_eq!(gtin14("9506000134352").unwrap(), "09506000134352");
		assert_eq!(gtin14("95012346").unwrap(), "00000095012346");
		assert_eq!(gtin14("614141123452").unwrap(), "00614141123452");
		assert_eq!(
			gtin14("09506000134353"),
			Err(Error::InvalidGtin("a wrong check digit"))
		);
		for bad in [
			"",
			"123",
			"0950600013435a",
			"095060001343520",
			"+9506000134352",
		] {
			assert!(gtin14(bad).is_err(), "{bad}");
		}
	}

	#[test]
	fn the_subject_is_blake2_of_the_normalized_code() {
		let expected = sp_crypto_hashing::blake2_256(b"VIoT/gs1/01/09506000134352/21/ABC-123");
		assert_eq!(gs1_subject("9506000134352", "ABC-123").unwrap(), expected);
		assert_eq!(gs1_subject("09506000134352", "ABC-123").unwrap(), expected);
		assert_ne!(gs1_subject("09506000134352", "ABC-124").unwrap(), expected);
	}

	#[test]
	fn serials_outside_gs1_character_set_82_are_refused() {
		for bad in ["", "a b", "x/y#", "é", "123456789012345678901"] {
			assert_eq!(
				gs1_subject("09506000134352", bad),
				Err(Error::InvalidSerial),
				"{bad}"
			);
		}
		assert!(gs1_subject("09506000134352", "12345678901234567890").is_ok());
	}
}
