// The verifier, included by `mod.rs` once per limb width (`fiat`, `Limbs` and `limbs` come from
// there).

use fiat::{
	fiat_p256_montgomery_domain_field_element as Montgomery,
	fiat_p256_non_montgomery_domain_field_element as Canonical,
};
use p256::elliptic_curve::{
	ops::{Invert, Reduce},
	PrimeField,
};

/// The field modulus p, big-endian.
const P_BYTES: [u8; 32] = [
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];
/// The group order n, big-endian.
const N_BYTES: [u8; 32] = [
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// (p + 1) / 4, little-endian words: p ≡ 3 (mod 4), so a square root of `a` is a^((p+1)/4).
const SQRT_EXPONENT: [u64; 4] = [
	0x0000_0000_0000_0000,
	0x0000_0000_4000_0000,
	0x4000_0000_0000_0000,
	0x3fff_ffff_c000_0000,
];

/// An element of the base field, in Montgomery form, always fully reduced (fiat's invariant).
#[derive(Clone, Copy)]
struct Fe(Montgomery);

impl Fe {
	const ZERO: Fe = Fe(Montgomery(limbs([0; 4])));
	/// 1 in Montgomery form: 2^256 mod p.
	const ONE: Fe = Fe(Montgomery(limbs([
		0x0000_0000_0000_0001,
		0xffff_ffff_0000_0000,
		0xffff_ffff_ffff_ffff,
		0x0000_0000_ffff_fffe,
	])));

	/// The element a big-endian encoding stands for, if it is below p.
	fn from_be_bytes(bytes: &[u8; 32]) -> Option<Fe> {
		if *bytes >= P_BYTES {
			return None;
		}
		let mut le = *bytes;
		le.reverse();
		let mut canonical = Canonical(limbs([0; 4]));
		fiat::fiat_p256_from_bytes(&mut canonical.0, &le);
		let mut out = Fe::ZERO;
		fiat::fiat_p256_to_montgomery(&mut out.0, &canonical);
		Some(out)
	}

	/// The canonical big-endian encoding.
	fn to_be_bytes(self) -> [u8; 32] {
		let mut canonical = Canonical(limbs([0; 4]));
		fiat::fiat_p256_from_montgomery(&mut canonical, &self.0);
		let mut out = [0u8; 32];
		fiat::fiat_p256_to_bytes(&mut out, &canonical.0);
		out.reverse();
		out
	}

	fn mul(&self, rhs: &Fe) -> Fe {
		let mut out = Fe::ZERO;
		fiat::fiat_p256_mul(&mut out.0, &self.0, &rhs.0);
		out
	}

	fn square(&self) -> Fe {
		let mut out = Fe::ZERO;
		fiat::fiat_p256_square(&mut out.0, &self.0);
		out
	}

	fn add(&self, rhs: &Fe) -> Fe {
		let mut out = Fe::ZERO;
		fiat::fiat_p256_add(&mut out.0, &self.0, &rhs.0);
		out
	}

	fn sub(&self, rhs: &Fe) -> Fe {
		let mut out = Fe::ZERO;
		fiat::fiat_p256_sub(&mut out.0, &self.0, &rhs.0);
		out
	}

	fn neg(&self) -> Fe {
		let mut out = Fe::ZERO;
		fiat::fiat_p256_opp(&mut out.0, &self.0);
		out
	}

	fn double(&self) -> Fe {
		self.add(self)
	}

	fn is_zero(&self) -> bool {
		self.0 .0.iter().all(|limb| *limb == 0)
	}

	fn equals(&self, rhs: &Fe) -> bool {
		self.0 .0 == rhs.0 .0
	}

	/// `self` to the power of `exponent` (little-endian words); variable-time in the exponent.
	fn pow(&self, exponent: &[u64; 4]) -> Fe {
		let mut acc = Fe::ONE;
		for word in exponent.iter().rev() {
			for bit in (0..64).rev() {
				acc = acc.square();
				if (word >> bit) & 1 == 1 {
					acc = acc.mul(self);
				}
			}
		}
		acc
	}
}

/// A point in affine coordinates; never the identity.
#[derive(Clone, Copy)]
struct Affine {
	x: Fe,
	y: Fe,
}

impl Affine {
	/// b of y² = x³ − 3x + b, in Montgomery form.
	const B: Fe = Fe(Montgomery(limbs([
		0xd89c_df62_29c4_bddf,
		0xacf0_05cd_7884_3090,
		0xe5a2_20ab_f721_2ed6,
		0xdc30_061d_0487_4834,
	])));

	/// A 33-byte SEC1 point, if it is on the curve: compressed (`0x02`/`0x03` || x, y even or
	/// odd) or compact (`0x05` || x, y the smaller of y and p − y), as `p256` reads them.
	fn decompress(bytes: &[u8; 33]) -> Option<Affine> {
		let x = Fe::from_be_bytes(bytes[1..].try_into().ok()?)?;
		let rhs = x.square().mul(&x).sub(&x.double().add(&x)).add(&Self::B);
		let y = rhs.pow(&SQRT_EXPONENT);
		if !y.square().equals(&rhs) {
			return None;
		}
		let (y_bytes, minus_y_bytes) = (y.to_be_bytes(), y.neg().to_be_bytes());
		let use_y = match bytes[0] {
			0x02 => y_bytes[31] & 1 == 0,
			0x03 => y_bytes[31] & 1 == 1,
			0x05 => y_bytes <= minus_y_bytes,
			_ => return None,
		};
		// y = 0 (its own negation, so never of the wanted parity twice) is not on P-256, whose
		// group has odd order.
		Some(Affine { x, y: if use_y { y } else { y.neg() } })
	}

	fn neg(&self) -> Affine {
		Affine {
			x: self.x,
			y: self.y.neg(),
		}
	}
}

/// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the identity.
#[derive(Clone, Copy)]
struct Jacobian {
	x: Fe,
	y: Fe,
	z: Fe,
}

impl Jacobian {
	const IDENTITY: Jacobian = Jacobian {
		x: Fe::ONE,
		y: Fe::ONE,
		z: Fe::ZERO,
	};

	fn from_affine(point: &Affine) -> Jacobian {
		Jacobian {
			x: point.x,
			y: point.y,
			z: Fe::ONE,
		}
	}

	fn is_identity(&self) -> bool {
		self.z.is_zero()
	}

	fn neg(&self) -> Jacobian {
		Jacobian {
			x: self.x,
			y: self.y.neg(),
			z: self.z,
		}
	}

	/// 2·self ("dbl-2001-b", a = −3: 3M + 5S).
	fn double(&self) -> Jacobian {
		if self.is_identity() {
			return *self;
		}
		let delta = self.z.square();
		let gamma = self.y.square();
		let beta = self.x.mul(&gamma);
		let t = self.x.sub(&delta).mul(&self.x.add(&delta));
		let alpha = t.double().add(&t);
		let beta4 = beta.double().double();
		let x3 = alpha.square().sub(&beta4.double());
		let z3 = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
		let gamma_sq8 = gamma.square().double().double().double();
		let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma_sq8);
		Jacobian {
			x: x3,
			y: y3,
			z: z3,
		}
	}

	/// self + other ("add-2007-bl": 11M + 5S), exceptional cases handled.
	fn add(&self, other: &Jacobian) -> Jacobian {
		if self.is_identity() {
			return *other;
		}
		if other.is_identity() {
			return *self;
		}
		let z1z1 = self.z.square();
		let z2z2 = other.z.square();
		let u1 = self.x.mul(&z2z2);
		let u2 = other.x.mul(&z1z1);
		let s1 = self.y.mul(&other.z).mul(&z2z2);
		let s2 = other.y.mul(&self.z).mul(&z1z1);
		let h = u2.sub(&u1);
		let r = s2.sub(&s1).double();
		if h.is_zero() {
			return if r.is_zero() {
				self.double()
			} else {
				Jacobian::IDENTITY
			};
		}
		let i = h.double().square();
		let j = h.mul(&i);
		let v = u1.mul(&i);
		let x3 = r.square().sub(&j).sub(&v.double());
		let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
		let z3 = self.z.add(&other.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
		Jacobian {
			x: x3,
			y: y3,
			z: z3,
		}
	}

	/// self + other for an affine other ("madd-2007-bl": 7M + 4S), exceptional cases handled.
	fn add_affine(&self, other: &Affine) -> Jacobian {
		if self.is_identity() {
			return Jacobian::from_affine(other);
		}
		let z1z1 = self.z.square();
		let u2 = other.x.mul(&z1z1);
		let s2 = other.y.mul(&self.z).mul(&z1z1);
		let h = u2.sub(&self.x);
		let r = s2.sub(&self.y).double();
		if h.is_zero() {
			return if r.is_zero() {
				self.double()
			} else {
				Jacobian::IDENTITY
			};
		}
		let hh = h.square();
		let i = hh.double().double();
		let j = h.mul(&i);
		let v = self.x.mul(&i);
		let x3 = r.square().sub(&j).sub(&v.double());
		let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
		let z3 = self.z.add(&h).square().sub(&z1z1).sub(&hh);
		Jacobian {
			x: x3,
			y: y3,
			z: z3,
		}
	}
}

/// wNAF width for the key (8 odd multiples computed per verification).
const KEY_WINDOW: u32 = 5;
/// wNAF width for the generator (its 32 odd multiples are [`GENERATOR_TABLE`]).
const GENERATOR_WINDOW: u32 = 7;

/// The width-`w` non-adjacent form of a 256-bit scalar (big-endian): digits odd, below 2^(w−1)
/// in absolute value, least significant first, at least w−1 zeros after each non-zero digit.
fn wnaf(scalar: &[u8; 32], w: u32) -> [i8; 257] {
	// Little-endian words with a spare word: subtracting a negative digit can carry past bit 255.
	let mut k = [0u64; 5];
	for (i, word) in k.iter_mut().take(4).enumerate() {
		let start = 32 - 8 * (i + 1);
		*word = u64::from_be_bytes(scalar[start..start + 8].try_into().expect("8 bytes"));
	}
	let width = 1i64 << w;
	let mut digits = [0i8; 257];
	for digit in digits.iter_mut() {
		if k.iter().all(|word| *word == 0) {
			break;
		}
		if k[0] & 1 == 1 {
			let mut d = (k[0] & (width as u64 - 1)) as i64;
			if d >= width / 2 {
				d -= width;
			}
			*digit = d as i8;
			// k -= d: for d > 0 no borrow past the low word (its low bits equal d); for d < 0 add
			// |d| with carry.
			if d > 0 {
				k[0] -= d as u64;
			} else {
				let (sum, mut carry) = k[0].overflowing_add((-d) as u64);
				k[0] = sum;
				for word in k.iter_mut().skip(1) {
					if !carry {
						break;
					}
					let (sum, c) = word.overflowing_add(1);
					*word = sum;
					carry = c;
				}
			}
		}
		// k >>= 1
		for i in 0..5 {
			let high = if i < 4 { k[i + 1] << 63 } else { 0 };
			k[i] = (k[i] >> 1) | high;
		}
	}
	digits
}

/// u1·G + u2·Q, with scalars as big-endian bytes (both below n).
fn double_scalar_mul(u1: &[u8; 32], u2: &[u8; 32], q: &Affine) -> Jacobian {
	let g_digits = wnaf(u1, GENERATOR_WINDOW);
	let q_digits = wnaf(u2, KEY_WINDOW);
	// Q, 3Q, …, 15Q.
	let q1 = Jacobian::from_affine(q);
	let q2 = q1.double();
	let mut q_table = [q1; 1 << (KEY_WINDOW - 2)];
	for i in 1..q_table.len() {
		q_table[i] = q_table[i - 1].add(&q2);
	}
	let top = (0..257)
		.rev()
		.find(|&i| g_digits[i] != 0 || q_digits[i] != 0);
	let mut acc = Jacobian::IDENTITY;
	for i in (0..=top.unwrap_or(0)).rev() {
		acc = acc.double();
		match g_digits[i] {
			0 => {}
			d if d > 0 => acc = acc.add_affine(&GENERATOR_TABLE[(d / 2) as usize]),
			d => acc = acc.add_affine(&GENERATOR_TABLE[(-d / 2) as usize].neg()),
		}
		match q_digits[i] {
			0 => {}
			d if d > 0 => acc = acc.add(&q_table[(d / 2) as usize]),
			d => acc = acc.add(&q_table[(-d / 2) as usize].neg()),
		}
	}
	acc
}

/// Whether `signature` (`r || s`, low-S) is `key`'s (compressed SEC1) ECDSA P-256 signature over
/// the SHA-256 digest of `message`, exactly as `p256`'s verifier decides plus the low-S rule.
pub(crate) fn verify(key: &[u8; 33], message: &[u8], signature: &[u8; 64]) -> bool {
	verify_prehashed(key, &sp_io::hashing::sha2_256(message), signature)
}

/// Whether `key` is a compressed SEC1 encoding (`0x02`/`0x03`) of a point of P-256. The compact
/// encoding (`0x05`), which `p256` also reads and `verify` accepts, is refused: it would give a
/// point a second encoding, and keys are told apart by their bytes.
pub(crate) fn is_valid_key(key: &[u8; 33]) -> bool {
	matches!(key[0], 0x02 | 0x03) && Affine::decompress(key).is_some()
}

/// [`verify`] for a message's SHA-256 digest.
fn verify_prehashed(key: &[u8; 33], digest: &[u8; 32], signature: &[u8; 64]) -> bool {
	let Ok(signature) = p256::ecdsa::Signature::from_slice(signature) else {
		return false;
	};
	// `normalize_s` gives the low-S twin of a high-S signature and `None` for a low-S one.
	if signature.normalize_s().is_some() {
		return false;
	}
	let Some(q) = Affine::decompress(key) else {
		return false;
	};
	let (r, s) = signature.split_scalars();
	let z = <p256::Scalar as Reduce<p256::U256>>::reduce_bytes(&(*digest).into());
	let s_inv: p256::Scalar = *s.invert_vartime();
	let u1 = (z * s_inv).to_repr();
	let u2 = (*r * s_inv).to_repr();
	let point = double_scalar_mul(&u1.into(), &u2.into(), &q);
	if point.is_identity() {
		return false;
	}
	// x(R) mod n == r ⟺ x(R) ∈ {r, r + n} (x(R) < p < 2n).
	let r_bytes: [u8; 32] = r.to_repr().into();
	let z2 = point.z.square();
	let matches = |candidate: &[u8; 32]| {
		Fe::from_be_bytes(candidate).is_some_and(|c| c.mul(&z2).equals(&point.x))
	};
	matches(&r_bytes) || add_n(&r_bytes).is_some_and(|r_plus_n| matches(&r_plus_n))
}

/// r + n as 32 big-endian bytes, if it fits.
fn add_n(r: &[u8; 32]) -> Option<[u8; 32]> {
	let mut out = [0u8; 32];
	let mut carry = 0u16;
	for i in (0..32).rev() {
		let sum = r[i] as u16 + N_BYTES[i] as u16 + carry;
		out[i] = sum as u8;
		carry = sum >> 8;
	}
	(carry == 0).then_some(out)
}

/// Affine odd multiples G, 3G, …, 63G of the generator, coordinates in Montgomery form
/// (little-endian 64-bit words). `the_generator_table_is_the_odd_multiples_of_g` recomputes it.
const GENERATOR_TABLE: [Affine; 1 << (GENERATOR_WINDOW - 2)] = generator_table();

const fn generator_table() -> [Affine; 1 << (GENERATOR_WINDOW - 2)] {
	let mut out = [Affine {
		x: Fe::ZERO,
		y: Fe::ZERO,
	}; 1 << (GENERATOR_WINDOW - 2)];
	let mut i = 0;
	while i < out.len() {
		out[i] = Affine {
			x: Fe(Montgomery(limbs(GENERATOR_WORDS[i][0]))),
			y: Fe(Montgomery(limbs(GENERATOR_WORDS[i][1]))),
		};
		i += 1;
	}
	out
}

#[rustfmt::skip]
const GENERATOR_WORDS: [[[u64; 4]; 2]; 1 << (GENERATOR_WINDOW - 2)] = [
	[[0x79e730d418a9143c, 0x75ba95fc5fedb601, 0x79fb732b77622510, 0x18905f76a53755c6], [0xddf25357ce95560a, 0x8b4ab8e4ba19e45c, 0xd2e88688dd21f325, 0x8571ff1825885d85]],
	[[0xffac3f904eebc127, 0xb027f84a087d81fb, 0x66ad77dd87cbbc98, 0x26936a3fb6ff747e], [0xb04c5c1fc983a7eb, 0x583e47ad0861fe1a, 0x788208311a2ee98e, 0xd5f06a29e587cc07]],
	[[0xbe1b8aaec45c61f5, 0x90ec649a94b9537d, 0x941cb5aad076c20c, 0xc9079605890523c8], [0xeb309b4ae7ba4f10, 0x73c568efe5eb882b, 0x3540a9877e7a1f68, 0x73a076bb2dd1e916]],
	[[0x0746354ea0173b4f, 0x2bd20213d23c00f7, 0xf43eaab50c23bb08, 0x13ba5119c3123e03], [0x2847d0303f5b9d4d, 0x6742f2f25da67bdd, 0xef933bdc77c94195, 0xeaedd9156e240867]],
	[[0x75c96e8f264e20e8, 0xabe6bfed59a7a841, 0x2cc09c0444c8eb00, 0xe05b3080f0c4e16b], [0x1eb7777aa45f3314, 0x56af7bedce5d45e3, 0x2b6e019a88b12f1a, 0x086659cdfd835f9b]],
	[[0xea7d260a6245e404, 0x9de407956e7fdfe0, 0x1ff3a4158dac1ab5, 0x3e7090f1649c9073], [0x1a7685612b944e88, 0x250f939ee57f61c8, 0x0c0daa891ead643d, 0x68930023e125b88e]],
	[[0xccc425634b2ed709, 0x0e356769856fd30d, 0xbcbcd43f559e9811, 0x738477ac5395b759], [0x35752b90c00ee17f, 0x68748390742ed2e3, 0x7cd06422bd1f5bc1, 0xfbc08769c9e7b797]],
	[[0x72bcd8b7bc60055b, 0x03cc23ee56e27e4b, 0xee337424e4819370, 0xe2aa0e430ad3da09], [0x40b8524f6383c45d, 0xd766355442a41b25, 0x64efa6de778a4797, 0x2042170a7079adf4]],
	[[0x97091dcbd53c5c9d, 0xf17624b6ac0a177b, 0xb0f139752cfe2dff, 0xc1a35c0a6c7a574e], [0x227d314693e79987, 0x0575bf30e89cb80e, 0x2f4e247f0d1883bb, 0xebd512263274c3d0]],
	[[0xfea912baa5659ae8, 0x68363aba25e1a16e, 0xb8842277752c41ac, 0xfe545c282897c3fc], [0x2d36e9e7dc4c696b, 0x5806244afba977c5, 0x85665e9be39508c1, 0xf720ee256d12597b]],
	[[0x562e4cecc135b208, 0x74e1b2654783f47d, 0x6d2a506c5a3f3b30, 0xecead9f4c16762fc], [0xf29dd4b2e286e5b9, 0x1b0fadc083bb3c61, 0x7a75023e7fac29a4, 0xc086d5f1c9477fa3]],
	[[0xf4f876532de45068, 0x37c7a7e89e2e1f6e, 0xd0825fa2a3584069, 0xaf2cea7c1727bf42], [0x0360a4fb9e4785a9, 0xe5fda49c27299f4a, 0x48068e1371ac2f71, 0x83d0687b9077666f]],
	[[0xa4a319acd837879f, 0x6fc1b49eed6b67b0, 0xe395993332f1f3af, 0x966742eb65432a2e], [0x4b8dc9feb4966228, 0x96cc631243f43950, 0x12068859c9b731ee, 0x7b948dc356f79968]],
	[[0x042c2af497e2feb4, 0xd36a42d7aebf7313, 0x49d2c9eb084ffdd7, 0x9f8aa54b2ef7c76a], [0x9200b7ba09895e70, 0x3bd0c66fddb7fb58, 0x2d97d10878eb4cbb, 0x2d431068d84bde31]],
	[[0x5e5db46acb66e132, 0xf1be963a0d925880, 0x944a70270317b9e2, 0xe266f95948603d48], [0x98db66735c208899, 0x90472447a2fb18a3, 0x8a966939777c619f, 0x3798142a2a3be21b]],
	[[0xe2f73c696755ff89, 0xdd3cf7e7473017e6, 0x8ef5689d3cf7600d, 0x948dc4f8b1fc87b4], [0xd9e9fe814ea53299, 0x2d921ca298eb6028, 0xfaecedfd0c9803fc, 0xf38ae8914d7b4745]],
	[[0x871514560f664534, 0x85ceae7c4b68f103, 0xac09c4ae65578ab9, 0x33ec6868f044b10c], [0x6ac4832b3a8ec1f1, 0x5509d1285847d5ef, 0xf909604f763f1574, 0xb16c4303c32f63c4]],
	[[0xfd16847fdec67ef5, 0x742ee464233e76b7, 0x0b8e4134efc2b4c8, 0xca640b8642a3e521], [0x653a01908ceb6aa9, 0x313c300c547852d5, 0x24e4ab126b237af7, 0x2ba901628bb47af8]],
	[[0x00467bc58cce08b5, 0xb636458c7f178d55, 0xc5748baea677d806, 0x2763a387dfa394eb], [0xa12b448a7d3cebb6, 0xe7adda3e6f20d850, 0xf63ebce51558462c, 0x58b36143620088a8]],
	[[0xa9d89488a059c142, 0x6f5ae714ff0b9346, 0x068f237d16fb3664, 0x5853e4c4363186ac], [0xe2d87d2363c52f98, 0x2ec4a76681828876, 0x47b864fae14e7b1c, 0x0c0bc0e569192408]],
	[[0x624d60492ed22e91, 0x6fdfe0b56f072822, 0xeeca111539ce2271, 0x98100a4fdb01614f], [0xb6b0daa2a35c628f, 0xb6f94d2ec87e9a47, 0xc67732591d57d9ce, 0xf70bfeec03884a7b]],
	[[0x4ff23ffd248a7d06, 0x80c5bfb4878873fa, 0xb7d9ad9005745981, 0x179c85db3db01994], [0xba41b06261a6966c, 0x4d82d052eadce5a8, 0x9e91cd3ba5e6a318, 0x47795f4f95b2dda0]],
	[[0x1ee426ccd5cd79bf, 0x0032940b946c6e18, 0x1b1e8ae057477f58, 0xe94f7d346d823278], [0xc747cb96782ba21a, 0xc5254469f72b33a5, 0x772ef6dec7f80c81, 0xd73acbfe2cd9e6b5]],
	[[0x283c7513caa76097, 0x0a624fa936c83906, 0x6b20afec715af2c7, 0x4b969974eba78bfd], [0x220755ccd921d60e, 0x9b944e107baeca13, 0x04819d515ded93d4, 0x9bbff86e6dddfd27]],
	[[0x21950b421ff6acd3, 0xffe7048453dc6909, 0xff4cd0b228766127, 0xabdbe6084fb7db2b], [0x837c92285e1109e8, 0x26147d27f4645b5a, 0x4d78f592f7818ed8, 0xd394077ef247fa36]],
	[[0x508cec1c3b3f64c9, 0xe20bc0ba1e5edf3f, 0xda1deb852f4318d4, 0xd20ebe0d5c3fa443], [0x370b4ea773241ea3, 0x61f1511c5e1a5f65, 0x99a5e23d82681c62, 0xd731e383a2f54c2d]],
	[[0x97359638546c4d8d, 0x5f9c3fc492f24679, 0x912e8beda8c8acd9, 0xec3a318d306634b0], [0x80167f41c31cb264, 0x3db82f6f522113f2, 0xb155bcd2dcafe197, 0xfba1da5943465283]],
	[[0x258bbbf9e7305683, 0x31eea5bf07ef5be6, 0x0deb0e4a46c814c1, 0x5cee8449a7b730dd], [0xeab495c5a0182bde, 0xee759f879e27a6b4, 0xc2cf6a6880e518ca, 0x25e8013ff14cf3f4]],
	[[0x3ec832e77acaca28, 0x1bfeea57c7385b29, 0x068212e3fd1eaf38, 0xc13298306acf8ccc], [0xb909f2db2aac9e59, 0x5748060db661782a, 0xc5ab2632c79b7a01, 0xda44c6c600017626]],
	[[0x69d44ed65c46aa8e, 0x2100d5d3a8d063d1, 0xcb9727eaa2d17c36, 0x4c2bab1b8add53b7], [0xa084e90c15426704, 0x778afcd3a837ebea, 0x6651f7017ce477f8, 0xa062499846fb7a8b]],
	[[0x3667eb1a7f4c04cc, 0x59556621a9404f84, 0x71cdf6537eceb50a, 0x994a44a69b8335fa], [0xd7faf819dbeb9b69, 0x473c5680eed4350d, 0xb6658466da44bba2, 0x0d1bc780872bdbf3]],
	[[0xb8d3d9319ff91fe5, 0x039c4800f0518eed, 0x95c376329182cb26, 0x0763a43482fc568d], [0x707c04d5383e76ba, 0xac98b930824e8197, 0x92bf7c8f91230de0, 0x90876a0140959b70]],
];

#[cfg(test)]
mod tests {
	use super::*;
	use p256::{
		ecdsa::{signature::Verifier, SigningKey, VerifyingKey},
		elliptic_curve::{group::Group, sec1::ToEncodedPoint},
		ProjectivePoint,
	};

	fn fe_of(bytes: &[u8]) -> Fe {
		Fe::from_be_bytes(bytes.try_into().unwrap()).unwrap()
	}

	/// Our point in p256's terms (the identity or the affine point it stands for).
	fn to_p256(point: &Jacobian) -> ProjectivePoint {
		if point.is_identity() {
			return ProjectivePoint::IDENTITY;
		}
		let z_inv = point.z.pow(&P_MINUS_2);
		let x = point.x.mul(&z_inv.square());
		let y = point.y.mul(&z_inv.square().mul(&z_inv));
		let mut sec1 = [0u8; 65];
		sec1[0] = 4;
		sec1[1..33].copy_from_slice(&x.to_be_bytes());
		sec1[33..].copy_from_slice(&y.to_be_bytes());
		ProjectivePoint::from(p256::PublicKey::from_sec1_bytes(&sec1).expect("on the curve"))
	}

	fn from_p256(point: &ProjectivePoint) -> Affine {
		let encoded = point.to_affine().to_encoded_point(false);
		Affine {
			x: fe_of(encoded.x().unwrap()),
			y: fe_of(encoded.y().unwrap()),
		}
	}

	const P_MINUS_2: [u64; 4] = [
		0xffff_ffff_ffff_fffd,
		0x0000_0000_ffff_ffff,
		0x0000_0000_0000_0000,
		0xffff_ffff_0000_0001,
	];

	#[test]
	fn the_generator_table_is_the_odd_multiples_of_g() {
		let g = ProjectivePoint::GENERATOR;
		let mut table = std::string::String::new();
		let mut all_match = true;
		for (i, entry) in GENERATOR_TABLE.iter().enumerate() {
			let expected = from_p256(&(g * p256::Scalar::from(2 * i as u64 + 1)));
			all_match &= expected.x.equals(&entry.x) && expected.y.equals(&entry.y);
			let word = |fe: &Fe| {
				let w: [u64; 4] = words(&fe.0 .0);
				format!(
					"[0x{:016x}, 0x{:016x}, 0x{:016x}, 0x{:016x}]",
					w[0], w[1], w[2], w[3]
				)
			};
			table += &format!("\t[{}, {}],\n", word(&expected.x), word(&expected.y));
		}
		assert!(all_match, "GENERATOR_WORDS should be:\n[\n{table}]");
	}

	#[test]
	fn constants_are_the_curves() {
		assert!(Fe::ONE.equals(&fe_of(&{
			let mut one = [0u8; 32];
			one[31] = 1;
			one
		})));
		assert!(Affine::B.equals(&fe_of(&hex32(
			"5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"
		))));
		assert_eq!(
			N_BYTES,
			<[u8; 32]>::from((-p256::Scalar::ONE).to_repr()).map_add_one()
		);
	}

	trait AddOne {
		fn map_add_one(self) -> Self;
	}
	impl AddOne for [u8; 32] {
		fn map_add_one(mut self) -> Self {
			for byte in self.iter_mut().rev() {
				let (sum, carry) = byte.overflowing_add(1);
				*byte = sum;
				if !carry {
					break;
				}
			}
			self
		}
	}

	fn hex32(s: &str) -> [u8; 32] {
		let mut out = [0u8; 32];
		for (i, byte) in out.iter_mut().enumerate() {
			*byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
		}
		out
	}

	/// A deterministic pseudo-random scalar (tests need no entropy, only variety).
	fn scalar(seed: u64) -> p256::Scalar {
		let bytes = sp_io::hashing::blake2_256(&seed.to_le_bytes());
		<p256::Scalar as Reduce<p256::U256>>::reduce_bytes(&bytes.into())
	}

	fn scalar_bytes(scalar: &p256::Scalar) -> [u8; 32] {
		scalar.to_repr().into()
	}

	fn same(ours: &Jacobian, theirs: &ProjectivePoint) -> bool {
		to_p256(ours) == *theirs
	}

	fn compressed(point: &ProjectivePoint) -> [u8; 33] {
		point
			.to_affine()
			.to_encoded_point(true)
			.as_bytes()
			.try_into()
			.unwrap()
	}

	#[test]
	fn the_group_law_matches_p256_also_in_its_exceptional_cases() {
		let g = ProjectivePoint::GENERATOR;
		let scalars = [1u64, 2, 3, 1000]
			.map(p256::Scalar::from)
			.into_iter()
			.chain(
				(0..20)
					.map(scalar)
					.chain([-p256::Scalar::ONE, -p256::Scalar::from(2u64)]),
			);
		let points: std::vec::Vec<ProjectivePoint> = scalars.map(|k| g * k).collect();
		let identity = Jacobian::IDENTITY;
		for a in &points {
			let ours = Jacobian::from_affine(&from_p256(a));
			// A Jacobian representative with Z ≠ 1: 2·(a/2)... here simply a doubled and added.
			let doubled = ours.double();
			assert!(same(&doubled, &a.double()));
			assert!(same(&ours.add(&ours), &a.double()), "P + P");
			assert!(same(&doubled.add(&ours.neg()), a), "2P − P");
			assert!(ours.add(&ours.neg()).is_identity(), "P + (−P)");
			assert!(
				doubled.add(&doubled.neg()).is_identity(),
				"2P + (−2P), Z ≠ 1"
			);
			assert!(same(
				&doubled.add_affine(&from_p256(&a.double())),
				&(a.double().double())
			));
			assert!(doubled.add_affine(&from_p256(&-a.double())).is_identity());
			assert!(same(&identity.add(&doubled), &a.double()));
			assert!(same(&doubled.add(&identity), &a.double()));
			assert!(same(&identity.add_affine(&from_p256(a)), a));
			assert!(identity.double().is_identity());
			for b in &points {
				let theirs = a + b;
				let b_ours = Jacobian::from_affine(&from_p256(b));
				assert!(same(
					&doubled.add(&b_ours.double()),
					&(a.double() + b.double())
				));
				assert!(same(&doubled.add_affine(&from_p256(b)), &(a.double() + b)));
				assert!(same(&ours.add_affine(&from_p256(b)), &theirs));
			}
		}
	}

	#[test]
	fn wnaf_digits_add_up_to_the_scalar_and_keep_their_form() {
		let edge = [
			p256::Scalar::ZERO,
			p256::Scalar::ONE,
			p256::Scalar::from(2u64),
			-p256::Scalar::ONE,
			-p256::Scalar::from(2u64),
			p256::Scalar::from(2u64).pow_vartime(&[255]),
			p256::Scalar::from(2u64).pow_vartime(&[255]) - p256::Scalar::ONE,
			p256::Scalar::from(u64::MAX),
		];
		for k in edge.into_iter().chain((0..200).map(scalar)) {
			for w in [KEY_WINDOW, GENERATOR_WINDOW] {
				let digits = wnaf(&scalar_bytes(&k), w);
				let mut sum = p256::Scalar::ZERO;
				let mut last_nonzero: Option<usize> = None;
				for (i, d) in digits.iter().enumerate().rev() {
					sum = sum.double();
					if *d != 0 {
						assert!(d % 2 != 0 && (d.unsigned_abs() as u32) < 1 << (w - 1));
						if let Some(j) = last_nonzero {
							assert!(j - i >= w as usize, "digits {j} and {i} too close");
						}
						last_nonzero = Some(i);
						let magnitude = p256::Scalar::from(d.unsigned_abs() as u64);
						sum += if *d > 0 { magnitude } else { -magnitude };
					}
				}
				assert_eq!(sum, k);
			}
		}
	}

	#[test]
	fn the_double_scalar_multiplication_matches_p256() {
		let g = ProjectivePoint::GENERATOR;
		let special = [
			p256::Scalar::ZERO,
			p256::Scalar::ONE,
			p256::Scalar::from(2u64),
			p256::Scalar::from(63u64),
			-p256::Scalar::ONE,
			p256::Scalar::from(2u64).pow_vartime(&[255]),
		];
		let keys = [
			p256::Scalar::ONE,
			-p256::Scalar::ONE,
			p256::Scalar::from(2u64),
			scalar(7),
		];
		for d in keys {
			let q = g * d;
			let q_affine = from_p256(&q);
			let pairs = special
				.iter()
				.flat_map(|a| special.iter().map(move |b| (*a, *b)))
				.chain((0..40).map(|i| (scalar(100 + i), scalar(200 + i))));
			for (u1, u2) in pairs {
				let ours = double_scalar_mul(&scalar_bytes(&u1), &scalar_bytes(&u2), &q_affine);
				assert!(
					same(&ours, &(g * u1 + q * u2)),
					"u1 = {u1:?}, u2 = {u2:?}, d = {d:?}"
				);
			}
			// u1 + d·u2 ≡ 0: the sum is the identity (a forged "signature" must not pass on it).
			for i in 0..10 {
				let u2 = scalar(300 + i);
				let u1 = -(d * u2);
				let ours = double_scalar_mul(&scalar_bytes(&u1), &scalar_bytes(&u2), &q_affine);
				assert!(ours.is_identity());
			}
		}
	}

	/// p256's verdict plus the low-S rule: what `verify` must say.
	fn reference(key: &[u8; 33], message: &[u8], signature: &[u8; 64]) -> bool {
		let (Ok(key), Ok(signature)) = (
			VerifyingKey::from_sec1_bytes(key),
			p256::ecdsa::Signature::from_slice(signature),
		) else {
			return false;
		};
		signature.normalize_s().is_none() && key.verify(message, &signature).is_ok()
	}

	#[test]
	fn verification_matches_p256_on_signatures_tampered_keys_and_messages() {
		let mut accepted = 0;
		for i in 0..64u64 {
			let signing = SigningKey::from_bytes(&scalar_bytes(&scalar(1000 + i)).into()).unwrap();
			let key = compressed(&ProjectivePoint::from(*signing.verifying_key().as_affine()));
			let message = sp_io::hashing::blake2_256(&i.to_be_bytes());
			let signature: p256::ecdsa::Signature =
				p256::ecdsa::signature::Signer::sign(&signing, &message);
			// p256 signs with either S; only the low one is accepted.
			let signature = signature.normalize_s().unwrap_or(signature);
			let signature: [u8; 64] = signature.to_bytes().into();
			assert!(verify(&key, &message, &signature), "case {i}");
			let mut cases = std::vec![(key, message.to_vec(), signature)];
			let byte = (i as usize * 7) % 64;
			let mut tampered = signature;
			tampered[byte] ^= 1 << (i % 8);
			cases.push((key, message.to_vec(), tampered));
			let mut other_message = message.to_vec();
			other_message[i as usize % 32] ^= 0x80;
			cases.push((key, other_message, signature));
			let mut other_key = key;
			other_key[0] ^= 1; // the key's twin −Q
			cases.push((other_key, message.to_vec(), signature));
			let mut bad_key = key;
			bad_key[1 + i as usize % 32] ^= 4;
			cases.push((bad_key, message.to_vec(), signature));
			// The high-S twin, and r or s out of range or zero.
			let s =
				p256::Scalar::from_repr(*p256::FieldBytes::from_slice(&signature[32..])).unwrap();
			let mut high = signature;
			high[32..].copy_from_slice(&scalar_bytes(&-s));
			cases.push((key, message.to_vec(), high));
			for bad in [[0u8; 32], N_BYTES, [0xff; 32]] {
				let mut r_bad = signature;
				r_bad[..32].copy_from_slice(&bad);
				cases.push((key, message.to_vec(), r_bad));
				let mut s_bad = signature;
				s_bad[32..].copy_from_slice(&bad);
				cases.push((key, message.to_vec(), s_bad));
			}
			for (key, message, signature) in cases {
				let expected = reference(&key, &message, &signature);
				assert_eq!(verify(&key, &message, &signature), expected, "case {i}");
				accepted += expected as u32;
			}
		}
		// Every untampered signature (low-S) and nothing else: the high-S twins, tampered
		// signatures, keys and messages all reached the curve arithmetic and failed there or in
		// p256's range checks.
		assert_eq!(accepted, 64);
	}

	#[test]
	fn keys_off_the_curve_or_badly_encoded_are_refused() {
		let key = compressed(&(ProjectivePoint::GENERATOR * scalar(1)));
		for prefix in [0x00, 0x01, 0x04, 0x06, 0xff] {
			let mut bad = key;
			bad[0] = prefix;
			assert!(Affine::decompress(&bad).is_none());
			assert!(!is_valid_key(&bad));
		}
		assert!(is_valid_key(&key));
		let mut beyond_p = [0x02; 33];
		beyond_p[1..].copy_from_slice(&P_BYTES);
		assert!(Affine::decompress(&beyond_p).is_none());
		// x values whose x³ − 3x + b has no square root, as p256 sees them.
		let mut off_curve = 0;
		for i in 0..64u8 {
			let mut candidate = [0x02; 33];
			candidate[32] = i;
			let ours =
				Affine::decompress(&candidate).map(|p| (p.x.to_be_bytes(), p.y.to_be_bytes()));
			let theirs = p256::PublicKey::from_sec1_bytes(&candidate)
				.ok()
				.map(|key| {
					let point = key.to_encoded_point(false);
					(
						<[u8; 32]>::try_from(point.x().unwrap().as_slice()).unwrap(),
						<[u8; 32]>::try_from(point.y().unwrap().as_slice()).unwrap(),
					)
				});
			assert_eq!(ours, theirs);
			assert_eq!(is_valid_key(&candidate), theirs.is_some());
			off_curve += theirs.is_none() as u32;
		}
		assert!(off_curve > 10);
	}

	/// p256 also reads the compact encoding `0x05 || x` (y the smaller of y and p − y): `verify`
	/// decides on such keys as p256 does, and `is_valid_key` refuses them, so that no point is
	/// registered under two encodings.
	#[test]
	fn compact_keys_verify_as_in_p256_and_are_not_valid_keys() {
		let (mut same_point, mut twin) = (0, 0);
		for i in 0..32u64 {
			let signing = SigningKey::from_bytes(&scalar_bytes(&scalar(2000 + i)).into()).unwrap();
			let key = compressed(&ProjectivePoint::from(*signing.verifying_key().as_affine()));
			let message = i.to_be_bytes();
			let signature: p256::ecdsa::Signature =
				p256::ecdsa::signature::Signer::sign(&signing, &message);
			let signature = signature.normalize_s().unwrap_or(signature);
			let signature: [u8; 64] = signature.to_bytes().into();
			let mut compact = key;
			compact[0] = 0x05;
			let theirs = reference(&compact, &message, &signature);
			assert_eq!(verify(&compact, &message, &signature), theirs);
			assert!(!is_valid_key(&compact));
			// The compact key is the signer's point when its y is the smaller one, else −Q.
			if theirs {
				same_point += 1;
			} else {
				twin += 1;
			}
		}
		assert!(same_point > 5 && twin > 5, "{same_point} / {twin}");
	}

	/// A signature whose R has an x-coordinate at or above n, so that r = x(R) − n: built
	/// backwards from R, since no honest signer produces one in a lifetime (about 2^-128).
	#[test]
	fn an_r_from_an_x_coordinate_above_n_is_checked_as_p256_does() {
		let mut found = 0;
		for t in 1u8..40 {
			let mut x = N_BYTES;
			x[31] += t;
			let mut sec1 = [0x02; 33];
			sec1[1..].copy_from_slice(&x);
			let Ok(big_r) = p256::PublicKey::from_sec1_bytes(&sec1) else {
				continue;
			};
			let big_r = ProjectivePoint::from(big_r);
			let r = p256::Scalar::from(t as u64);
			let (a, mut b) = (scalar(t as u64), scalar(500 + t as u64));
			let mut s = r * b.invert().unwrap();
			if bool::from(p256::elliptic_curve::scalar::IsHigh::is_high(&s)) {
				b = -b;
				s = -s;
			}
			// Q = b⁻¹·(R − a·G), so that R = a·G + b·Q = u1·G + u2·Q with u1 = z/s, u2 = r/s.
			let q = (big_r - ProjectivePoint::GENERATOR * a) * b.invert().unwrap();
			let z = a * s;
			let key = compressed(&q);
			let mut signature = [0u8; 64];
			signature[..32].copy_from_slice(&scalar_bytes(&r));
			signature[32..].copy_from_slice(&scalar_bytes(&s));
			let digest = scalar_bytes(&z);
			use p256::ecdsa::signature::hazmat::PrehashVerifier;
			let theirs = VerifyingKey::from_sec1_bytes(&key)
				.unwrap()
				.verify_prehash(
					&digest,
					&p256::ecdsa::Signature::from_slice(&signature).unwrap(),
				)
				.is_ok();
			assert!(theirs, "p256 accepts r = x(R) − n");
			assert!(verify_prehashed(&key, &digest, &signature));
			// r + 1 instead is refused by both.
			signature[..32].copy_from_slice(&scalar_bytes(&(r + p256::Scalar::ONE)));
			assert!(!verify_prehashed(&key, &digest, &signature));
			found += 1;
		}
		assert!(found > 5);
	}

	/// Every ECDSA P-256/SHA-256 vector of Project Wycheproof in `r || s` form: our verdict is
	/// p256's and, for low-S signatures, Wycheproof's.
	#[test]
	fn wycheproof_p256_sha256_vectors() {
		use wycheproof::{ecdsa::*, TestResult};
		let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
		let (mut checked, mut valid) = (0, 0);
		for group in set.test_groups {
			let key = p256::PublicKey::from_sec1_bytes(&group.key.key).unwrap();
			let key = compressed(&ProjectivePoint::from(key));
			for test in group.tests {
				let Ok(signature) = <[u8; 64]>::try_from(test.sig.as_slice()) else {
					assert_eq!(test.result, TestResult::Invalid, "{}", test.tc_id);
					continue;
				};
				let ours = verify(&key, &test.msg, &signature);
				assert_eq!(
					ours,
					reference(&key, &test.msg, &signature),
					"{}",
					test.tc_id
				);
				let low_s = p256::ecdsa::Signature::from_slice(&signature)
					.is_ok_and(|signature| signature.normalize_s().is_none());
				match test.result {
					TestResult::Valid if low_s => assert!(ours, "{}", test.tc_id),
					TestResult::Invalid => assert!(!ours, "{}", test.tc_id),
					_ => {}
				}
				checked += 1;
				valid += ours as u32;
			}
		}
		assert!(
			checked >= 200 && valid >= 50,
			"{checked} checked, {valid} valid"
		);
	}
}
