//! Benchmarks of every call. Finality proofs are real justifications signed by GRANDPA keys
//! (bp-test-utils), weighed by their number of precommits, vote-ancestry headers and hashed
//! header bytes, in the steady state where the ring of kept headers is full and every import
//! prunes one; storage proofs are real trie proofs, weighed by their nodes and bytes.

use super::*;
use crate::Pallet as ChildChains;
use alloc::{vec, vec::Vec};
use bp_header_chain::justification::required_justification_precommits;
use bp_test_utils::{
	accounts, make_justification_for_header, test_header, Account, JustificationGeneratorParams,
};
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Header as _};

const SET_ID: SetId = 1;

fn funded<T: Config>(name: &'static str) -> T::AccountId {
	let who: T::AccountId = account(name, 0, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 4u32.into());
	who
}

fn authority_list(keys: &[Account]) -> Vec<(AuthorityId, AuthorityWeight)> {
	keys.iter().map(|key| ((*key).into(), 1)).collect()
}

/// Registers a chain (id 0) from `initial` with `authorities` and approves it.
fn register<T: Config>(initial: &ChildHeader, authorities: &[Account]) -> ChainId {
	let chain_id = register_pending::<T>(initial, authorities);
	let mut chain = Chains::<T>::get(chain_id).unwrap();
	chain.status = RegistrationStatus::Approved;
	ChainIdByGenesis::<T>::insert(chain.genesis_hash, chain_id);
	ChildChains::<T>::insert_chain(chain_id, chain);
	chain_id
}

/// Registers a chain (id 0) from `initial` with `authorities`, pending approval.
fn register_pending<T: Config>(initial: &ChildHeader, authorities: &[Account]) -> ChainId {
	register_genesis::<T>(test_header::<ChildHeader>(0).hash(), initial, authorities)
}

/// Registers the chain whose genesis hash is `genesis` from `initial` with `authorities`,
/// pending approval.
fn register_genesis<T: Config>(
	genesis: H256,
	initial: &ChildHeader,
	authorities: &[Account],
) -> ChainId {
	let owner = funded::<T>("owner");
	ChildChains::<T>::register_child_chain(
		RawOrigin::Signed(owner).into(),
		vec![b'n'; T::MaxNameLength::get() as usize],
		vec![b'S'; T::MaxSymbolLength::get() as usize],
		genesis,
		Box::new(initial.clone()),
		authority_list(authorities),
		SET_ID,
	)
	.expect("registers");
	NextChainId::<T>::get() - 1
}

/// Makes the chain whose genesis hash is `genesis` an approved chain (registering it if it is
/// not one) with a verified header whose state root is `state_root`; returns the header's hash.
/// For the benchmarks of pallets that read another chain's state through this one.
pub fn verified_counterpart<T: Config>(genesis: H256, state_root: H256) -> H256 {
	let chain_id = ChainIdByGenesis::<T>::get(genesis).unwrap_or_else(|| {
		let chain_id = register_genesis::<T>(genesis, &test_header::<ChildHeader>(1), &accounts(1));
		let mut chain = Chains::<T>::get(chain_id).unwrap();
		chain.status = RegistrationStatus::Approved;
		ChainIdByGenesis::<T>::insert(genesis, chain_id);
		ChildChains::<T>::insert_chain(chain_id, chain);
		chain_id
	});
	import_root::<T>(chain_id, state_root)
}

/// An approved chain with `h` kept headers.
fn chain_with_headers<T: Config>(h: u32) -> ChainId {
	let chain_id = register::<T>(&test_header::<ChildHeader>(5), &accounts(1));
	let mut chain = Chains::<T>::get(chain_id).unwrap();
	for n in 1..h {
		ChildChains::<T>::store_header(chain_id, &mut chain, &test_header::<ChildHeader>(5 + n));
	}
	ChildChains::<T>::insert_chain(chain_id, chain);
	chain_id
}

/// The smallest authority set whose justifications need exactly `precommits` votes.
fn set_size_for(precommits: u32) -> u32 {
	(precommits..)
		.find(|n| required_justification_precommits(*n) >= precommits)
		.unwrap_or(precommits)
}

/// Marks a header with this state root as verified, without a proof.
fn import_root<T: Config>(chain_id: ChainId, state_root: H256) -> H256 {
	let mut header = test_header::<ChildHeader>(1);
	header.set_state_root(state_root);
	let mut chain = Chains::<T>::get(chain_id).unwrap();
	ChildChains::<T>::store_header(chain_id, &mut chain, &header);
	ChildChains::<T>::insert_chain(chain_id, chain);
	header.hash()
}

/// The attester of the anchor `anchor_proof` proves: the child owner's account.
fn child_attester<T: Config>() -> Attester<T::AccountId> {
	Attester::Account(account("child owner", 0, 0))
}

/// A child state holding an anchor of `digest`, and a read proof of it with `nodes` nodes and
/// about `size` bytes: the real path, then extra nodes (which the check must still hash) to
/// reach both.
fn anchor_proof<T: Config>(digest: H256, nodes: u32, size: u32) -> (H256, Vec<Vec<u8>>) {
	let owner: T::AccountId = account("child owner", 0, 0);
	let key = T::ChildAnchors::storage_key(&digest, &child_attester::<T>());
	let value = T::ChildAnchors::encode(&ChildAnchorFacts {
		owner,
		block: 1,
		timestamp: 1,
	});
	viot_primitives::benchmarking::state_proof(&[(key, value)], nodes, size)
}

/// Fills the ring of kept headers of `chain_id` (after its registration header) so that the
/// next import prunes one.
fn fill_ring<T: Config>(chain_id: ChainId) {
	let mut chain = Chains::<T>::get(chain_id).unwrap();
	for n in 1..T::HeadersToKeep::get() {
		let mut header = test_header::<ChildHeader>(0);
		let mut root = [0u8; 32];
		root[..4].copy_from_slice(&n.to_le_bytes());
		header.set_state_root(H256(root));
		ChildChains::<T>::store_header(chain_id, &mut chain, &header);
	}
	// The kept headers are numbered 0; the chain's best stays the registration header.
	chain.best_number = 0;
	chain.best_hash = test_header::<ChildHeader>(0).hash();
	ChildChains::<T>::insert_chain(chain_id, chain);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_child_chain(a: Linear<1, { T::MaxAuthorities::get() }>) {
		let owner = funded::<T>("owner");
		let genesis = test_header::<ChildHeader>(0);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(owner),
			vec![b'n'; T::MaxNameLength::get() as usize],
			vec![b'S'; T::MaxSymbolLength::get() as usize],
			genesis.hash(),
			Box::new(genesis.clone()),
			authority_list(&accounts(a as u16)),
			SET_ID,
		);

		assert!(ChildChains::<T>::child_chain(0).is_some());
	}

	#[benchmark]
	fn deregister_child_chain(h: Linear<1, { T::HeadersToKeep::get() }>) {
		let chain_id = chain_with_headers::<T>(h);
		let owner = Chains::<T>::get(chain_id).unwrap().owner;
		assert_eq!(
			ImportedHeaders::<T>::iter_prefix(chain_id).count(),
			h as usize
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(owner), chain_id);

		assert_eq!(ImportedHeaders::<T>::iter_prefix(chain_id).count(), 0);
	}

	#[benchmark]
	fn submit_finality_proof(
		p: Linear<1, { required_justification_precommits(T::MaxAuthorities::get()) }>,
		v: Linear<0, { T::MaxVotesAncestries::get() }>,
		b: Linear<0, { T::MaxHeaderSize::get() - 256 }>,
	) {
		let keys = accounts(set_size_for(p) as u16);
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &keys);
		fill_ring::<T>(chain_id);
		assert!(ImportedHashes::<T>::contains_key(
			chain_id,
			Chains::<T>::get(chain_id).unwrap().next_slot
		));
		let mut header = test_header::<ChildHeader>(1);
		if b > 0 {
			header
				.digest_mut()
				.push(sp_runtime::DigestItem::Other(vec![0; b as usize]));
		}
		let justification = make_justification_for_header(JustificationGeneratorParams {
			header: header.clone(),
			round: 1,
			set_id: SET_ID,
			authorities: keys.iter().take(p as usize).map(|key| (*key, 1)).collect(),
			ancestors: v,
			forks: 1,
		});
		assert_eq!(justification.commit.precommits.len(), p as usize);
		let relayer = funded::<T>("relayer");
		// As the pool check marks it: the free path (a free slot taken) is the heavier one.
		ChildChains::<T>::mark_top_level_proof();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(relayer),
			chain_id,
			Box::new(header.clone()),
			justification,
		);

		assert_eq!(Chains::<T>::get(chain_id).unwrap().best_hash, header.hash());
		assert_eq!(
			ImportedHeaders::<T>::iter_prefix(chain_id).count(),
			T::HeadersToKeep::get() as usize
		);
	}

	#[benchmark]
	fn enact_authority_set_change(a: Linear<1, { T::MaxAuthorities::get() }>) {
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let next = authority_list(&accounts(a as u16));

		#[block]
		{
			ChildChains::<T>::enact_authority_set_change(chain_id, 1, SET_ID, next)
				.expect("a valid set");
		}

		assert_eq!(
			AuthoritySets::<T>::get(chain_id).unwrap().set_id,
			SET_ID + 1
		);
	}

	#[benchmark]
	fn index_child_anchor(
		n: Linear<8, { T::MaxStorageProofNodes::get() }>,
		b: Linear<4_096, { T::MaxStorageProofSize::get() }>,
	) {
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let digest = H256::repeat_byte(0xd1);
		let (root, proof) = anchor_proof::<T>(digest, n, b);
		assert_eq!(proof.len() as u32, n);
		let block = import_root::<T>(chain_id, root);
		let indexer = funded::<T>("indexer");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(indexer),
			chain_id,
			block,
			digest,
			child_attester::<T>(),
			proof,
		);

		assert_eq!(ChildChains::<T>::child_anchor(digest).len(), 1);
	}

	#[benchmark]
	fn remove_child_anchor() {
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let digest = H256::repeat_byte(0xd1);
		let (root, proof) = anchor_proof::<T>(digest, 0, 0);
		let block = import_root::<T>(chain_id, root);
		let indexer = funded::<T>("indexer");
		ChildChains::<T>::index_child_anchor(
			RawOrigin::Signed(indexer.clone()).into(),
			chain_id,
			block,
			digest,
			child_attester::<T>(),
			proof,
		)
		.expect("indexes");

		#[extrinsic_call]
		_(
			RawOrigin::Signed(indexer),
			digest,
			chain_id,
			child_attester::<T>(),
		);

		assert!(ChildChains::<T>::child_anchor(digest).is_empty());
	}

	#[benchmark]
	fn approve_child_chain() -> Result<(), BenchmarkError> {
		let chain_id = register_pending::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, chain_id);

		assert!(Chains::<T>::get(chain_id).unwrap().is_approved());
		Ok(())
	}

	#[benchmark]
	fn reject_child_chain(h: Linear<1, { T::HeadersToKeep::get() }>) -> Result<(), BenchmarkError> {
		let chain_id = chain_with_headers::<T>(h);
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, chain_id, true);

		assert!(Chains::<T>::get(chain_id).is_none());
		Ok(())
	}

	#[benchmark]
	fn reassign_child_chain_owner() -> Result<(), BenchmarkError> {
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let new_owner = funded::<T>("new owner");
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, chain_id, new_owner.clone());

		assert_eq!(Chains::<T>::get(chain_id).unwrap().owner, new_owner);
		Ok(())
	}

	#[benchmark]
	fn set_child_chain_halted() -> Result<(), BenchmarkError> {
		let chain_id = register::<T>(&test_header::<ChildHeader>(0), &accounts(1));
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(admin as T::RuntimeOrigin, chain_id, true);

		assert!(HaltedChains::<T>::contains_key(chain_id));
		Ok(())
	}

	#[benchmark]
	fn reinitialize_child_chain(
		a: Linear<1, { T::MaxAuthorities::get() }>,
		h: Linear<1, { T::HeadersToKeep::get() }>,
	) -> Result<(), BenchmarkError> {
		let chain_id = chain_with_headers::<T>(h);
		HaltedChains::<T>::insert(chain_id, frame_system::Pallet::<T>::block_number());
		let admin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let header = test_header::<ChildHeader>(1_000_000);

		#[extrinsic_call]
		_(
			admin as T::RuntimeOrigin,
			chain_id,
			Box::new(header.clone()),
			authority_list(&accounts(a as u16)),
			SET_ID + 1,
		);

		assert_eq!(Chains::<T>::get(chain_id).unwrap().best_hash, header.hash());
		assert_eq!(ImportedHeaders::<T>::iter_prefix(chain_id).count(), 1);
		Ok(())
	}

	impl_benchmark_test_suite!(ChildChains, crate::mock::new_test_ext(), crate::mock::Test);
}
