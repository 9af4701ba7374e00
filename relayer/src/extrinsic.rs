//! Signed extrinsics for a VIoT parent chain, built with the runtime's own types so their
//! encoding always matches it.

use anyhow::{anyhow, Result};
use codec::Encode;
use sp_core::{crypto::Ss58Codec, sr25519, Pair, H256};
use sp_runtime::{generic::Era, MultiSignature};
use viot_primitives::AccountId;
use viot_runtime::{Runtime, RuntimeCall, SignedPayload, TxExtension, UncheckedExtrinsic};

use crate::rpc::Node;

/// An sr25519 key that signs the relayer's transactions.
pub struct Signer {
	pair: sr25519::Pair,
	/// Its account.
	pub account: AccountId,
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

	/// Signs `call` for `target` with the account's next nonce and the target's current runtime
	/// version and genesis; immortal, no tip.
	pub async fn sign(&self, target: &Node, call: RuntimeCall) -> Result<Vec<u8>> {
		let nonce = target.next_nonce(&self.address()).await?;
		let (spec_version, transaction_version) = target.runtime_version().await?;
		let genesis: H256 = target.genesis_hash().await?;
		let extension: TxExtension = (
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let implicit = (
			(),
			spec_version,
			transaction_version,
			genesis,
			genesis,
			(),
			(),
			(),
			(),
		);
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| self.pair.sign(bytes));
		Ok(UncheckedExtrinsic::new_signed(
			call,
			self.account.clone().into(),
			MultiSignature::Sr25519(signature),
			extension,
		)
		.encode())
	}
}
