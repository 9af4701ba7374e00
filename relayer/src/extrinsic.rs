//! Signed extrinsics for a VIoT parent chain, encoded without the runtime: the call from
//! `viot_primitives::child::ParentCall` (the runtime's tests pin its bytes), the transaction
//! extensions of [`viot_primitives::TRANSACTION_VERSION`] (this file's test pins them against
//! the runtime's own types).
//!
//! Every transaction is mortal: valid for [`ERA_PERIOD`] blocks from the best block it was
//! signed at, so a submission that timed out cannot land much later.

use anyhow::{anyhow, Result};
use codec::{Compact, Encode};
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use sp_runtime::{generic::Era, MultiAddress, MultiSignature};
use viot_primitives::{AccountId, Balance, TRANSACTION_VERSION};

use crate::{rpc::Node, Fatal};

/// Blocks a signed transaction stays valid for (a power of two): 96 s at 6-second blocks, within
/// the relayer's inclusion timeout.
pub const ERA_PERIOD: u64 = 16;

/// Version byte of a signed extrinsic (version 4, signed bit set).
const SIGNED_V4: u8 = 0x80 | 4;

/// An sr25519 key that signs the relayer's transactions.
pub struct Signer {
	pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
}

/// What the transaction extensions of the runtime put in the extrinsic, in order:
/// `CheckNonZeroSender`, `CheckSpecVersion`, `CheckTxVersion`, `CheckGenesis` (nothing),
/// `CheckEra` (the era), `CheckNonce` (the nonce), `CheckWeight`, `CheckChildFinalityProof`
/// and `CheckMessageDelivery` (nothing), `ChargeTransactionPayment` (the tip),
/// `CheckMetadataHash` (its mode),
/// `WeightReclaim` (nothing).
#[derive(Encode)]
struct Explicit {
	era: Era,
	nonce: Compact<u32>,
	tip: Compact<Balance>,
	/// `CheckMetadataHash`'s mode: 0, disabled (the relayer signs without an offline signer).
	metadata_hash_mode: u8,
}

/// What they add to the signed payload only: spec and transaction version, genesis hash, the
/// hash of the era's first block, and the metadata hash (none when the mode is disabled).
#[derive(Encode)]
struct Implicit {
	spec_version: u32,
	transaction_version: u32,
	genesis: H256,
	era_birth: H256,
	metadata_hash: Option<[u8; 32]>,
}

impl Signer {
	/// A signer from a secret URI: `//Alice`, a mnemonic, or a hex seed, with optional
	/// `//hard/soft` derivations.
	pub fn from_suri(suri: &str) -> Result<Self> {
		let pair = sr25519::Pair::from_string(suri, None)
			.map_err(|error| anyhow!("invalid --signer secret: {error:?}"))?;
		Ok(Self {
			account: pair.public().into(),
			pair,
		})
	}

	/// The account in SS58 form.
	pub fn address(&self) -> String {
		self.account.to_ss58check()
	}

	/// Signs `call` (encoded as the runtime's call enum encodes it, e.g.
	/// [`viot_primitives::child::ParentCall`]) for `target` with the account's next nonce, the
	/// target's runtime version and genesis, mortal from the target's best block; no tip.
	pub async fn sign(&self, target: &Node, call: &impl Encode) -> Result<Vec<u8>> {
		let nonce = target.next_nonce(&self.address()).await?;
		let (spec_version, transaction_version) = target.runtime_version().await?;
		if transaction_version != TRANSACTION_VERSION {
			return Err(Fatal(format!(
				"{} uses transaction version {transaction_version}; this relayer builds version \
				 {TRANSACTION_VERSION}: use the relayer of the parent's release",
				target.url
			))
			.into());
		}
		let genesis = target.genesis_hash().await?;
		let best = target.best_number().await?;
		let era = Era::mortal(ERA_PERIOD, best.into());
		let birth = era.birth(best.into()) as u32;
		let era_birth = target
			.block_hash(birth)
			.await?
			.ok_or_else(|| anyhow!("{} has no block {birth}", target.url))?;
		Ok(self.encode_signed(
			call,
			Explicit {
				era,
				nonce: Compact(nonce),
				tip: Compact(0),
				metadata_hash_mode: 0,
			},
			Implicit {
				spec_version,
				transaction_version,
				genesis,
				era_birth,
				metadata_hash: None,
			},
		))
	}

	/// The signed extrinsic, length-prefixed as `author_submitExtrinsic` takes it.
	fn encode_signed(&self, call: &impl Encode, explicit: Explicit, implicit: Implicit) -> Vec<u8> {
		let payload = (call, &explicit, &implicit).encode();
		// Payloads over 256 bytes are signed by their BLAKE2-256 hash.
		let signature = if payload.len() > 256 {
			self.pair.sign(&sp_crypto_hashing::blake2_256(&payload))
		} else {
			self.pair.sign(&payload)
		};
		let mut body = vec![SIGNED_V4];
		MultiAddress::<AccountId, ()>::Id(self.account.clone()).encode_to(&mut body);
		MultiSignature::Sr25519(signature).encode_to(&mut body);
		explicit.encode_to(&mut body);
		call.encode_to(&mut body);
		let mut extrinsic = Compact(body.len() as u32).encode();
		extrinsic.extend(body);
		extrinsic
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Decode;
	use sp_runtime::traits::{Header as _, Verify};
	use viot_primitives::child::{ChildChainsCall, ChildHeader, ParentCall};
	use viot_runtime::{Runtime, RuntimeCall, SignedPayload, UncheckedExtrinsic};

	/// The relayer's extrinsic decodes as the runtime's, with the same call and extensions, and
	/// its signature verifies over the runtime's own signed payload.
	#[test]
	fn the_extrinsic_is_the_runtimes_and_its_signature_verifies() {
		let signer = Signer::from_suri("//Alice").unwrap();
		let header = ChildHeader::new(
			3,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
			H256::repeat_byte(3),
			Default::default(),
		);
		let call = ParentCall::ChildChains(ChildChainsCall::RegisterChildChain {
			name: vec![b'n'; 300],
			token_symbol: b"ACME".to_vec(),
			genesis_hash: header.hash(),
			initial_header: Box::new(header),
			authorities: vec![],
			set_id: 0,
		});
		let era = Era::mortal(ERA_PERIOD, 1_000);
		let implicit = Implicit {
			spec_version: viot_runtime::VERSION.spec_version,
			transaction_version: TRANSACTION_VERSION,
			genesis: H256::repeat_byte(7),
			era_birth: H256::repeat_byte(8),
			metadata_hash: None,
		};
		let explicit = Explicit {
			era,
			nonce: Compact(5),
			tip: Compact(0),
			metadata_hash_mode: 0,
		};
		let bytes = signer.encode_signed(&call, explicit, implicit);

		let extrinsic = UncheckedExtrinsic::decode(&mut &bytes[..]).expect("the runtime's format");
		let expected_call = RuntimeCall::decode(&mut &call.encode()[..]).unwrap();
		assert_eq!(extrinsic.function, expected_call);
		let sp_runtime::generic::Preamble::Signed(address, signature, extension) =
			extrinsic.preamble
		else {
			panic!("a signed extrinsic");
		};
		assert_eq!(address, MultiAddress::Id(signer.account.clone()));
		assert_eq!(extension.4, frame_system::CheckEra::<Runtime>::from(era));
		assert_eq!(extension.5, frame_system::CheckNonce::<Runtime>::from(5));
		let implicit = (
			(),
			viot_runtime::VERSION.spec_version,
			TRANSACTION_VERSION,
			H256::repeat_byte(7),
			H256::repeat_byte(8),
			(),
			(),
			(),
			(),
			(),
			None,
			(),
		);
		let payload = SignedPayload::from_raw(expected_call, extension, implicit);
		assert!(payload.using_encoded(|bytes| signature.verify(bytes, &signer.account)));
		assert_eq!(
			viot_runtime::VERSION.transaction_version,
			TRANSACTION_VERSION
		);
	}
}
