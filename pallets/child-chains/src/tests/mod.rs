//! Tests of the child-chains pallet. Justifications are signed by real GRANDPA (ed25519) keys
//! of bp-test-utils' keyring; storage proofs are made from real tries.

use crate::{mock::*, *};
use bp_test_utils::{
	authority_list, make_justification_for_header, signed_precommit, test_header, test_keyring,
	Account, JustificationGeneratorParams, ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	traits::fungible::{Inspect, InspectHold},
};
use sp_consensus_grandpa::{ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_runtime::{
	traits::{BlakeTwo256, Header as _},
	DigestItem, DispatchError,
};
use sp_trie::{trie_types::TrieDBMutBuilderV1, LayoutV1, MemoryDB, TrieMut};
use viot_primitives::child::ChildProofError;

const SET_ID: SetId = 1;

fn genesis() -> ChildHeader {
	test_header::<ChildHeader>(0)
}

/// A header `number` whose state root is `state_root`, with `logs` in its digest.
fn header(number: u32, state_root: H256, logs: Vec<DigestItem>) -> ChildHeader {
	let mut header = test_header::<ChildHeader>(number);
	header.set_state_root(state_root);
	for log in logs {
		header.digest_mut().push(log);
	}
	header
}

fn justify_by(
	header: &ChildHeader,
	set_id: SetId,
	authorities: Vec<(Account, u64)>,
) -> ChildJustification {
	make_justification_for_header(JustificationGeneratorParams {
		header: header.clone(),
		round: 7,
		set_id,
		authorities,
		ancestors: 2,
		forks: 1,
	})
}

/// A justification of `header` by all three authorities of the initial set.
fn justify(header: &ChildHeader) -> ChildJustification {
	justify_by(header, SET_ID, test_keyring())
}

fn register() -> ChainId {
	register_with_genesis(genesis())
}

/// Registers a chain with `genesis` as its finalized header (and genesis hash) by OWNER, and
/// approves it by the admin origin.
fn register_with_genesis(genesis: ChildHeader) -> ChainId {
	let chain_id = register_pending_by(OWNER, genesis, authority_list());
	assert_ok!(ChildChains::approve_child_chain(
		RuntimeOrigin::root(),
		chain_id
	));
	chain_id
}

/// `who` registers a chain from `genesis` with `authorities`; it stays pending.
fn register_pending_by(
	who: AccountId,
	genesis: ChildHeader,
	authorities: Vec<(AuthorityId, AuthorityWeight)>,
) -> ChainId {
	assert_ok!(ChildChains::register_child_chain(
		RuntimeOrigin::signed(who),
		b"acme".to_vec(),
		b"ACME".to_vec(),
		genesis.hash(),
		Box::new(genesis),
		authorities,
		SET_ID,
	));
	NextChainId::<Test>::get() - 1
}

/// RELAYER submits a proof as a top-level call (marked as the pool check marks it).
fn submit(
	chain_id: ChainId,
	header: &ChildHeader,
	justification: ChildJustification,
) -> DispatchResultWithPostInfo {
	ChildChains::mark_top_level_proof();
	submit_wrapped(chain_id, header, justification)
}

/// RELAYER's proof dispatched without the pool check's mark, as inside a batch.
fn submit_wrapped(
	chain_id: ChainId,
	header: &ChildHeader,
	justification: ChildJustification,
) -> DispatchResultWithPostInfo {
	ChildChains::submit_finality_proof(
		RuntimeOrigin::signed(RELAYER),
		chain_id,
		Box::new(header.clone()),
		justification,
	)
}

fn error_of(result: DispatchResultWithPostInfo) -> DispatchError {
	let error = result.expect_err("the call fails");
	assert_eq!(error.post_info.pays_fee, Pays::Yes, "a failing proof pays");
	error.error
}

fn scheduled_change(authorities: &[Account], delay: u32) -> DigestItem {
	let next_authorities = authorities.iter().map(|a| ((*a).into(), 1)).collect();
	DigestItem::Consensus(
		GRANDPA_ENGINE_ID,
		ConsensusLog::ScheduledChange(ScheduledChange {
			next_authorities,
			delay,
		})
		.encode(),
	)
}

fn check_state() {
	ChildChains::do_try_state().expect("invariants hold");
}

/// A child state with an anchor of `digest` and some other entries; returns the state root and
/// a read proof of `keys` (the trie nodes on their paths, as `state_getReadProof` gives).
fn child_state_with_proof(digest: H256, value: Vec<u8>, keys: &[Vec<u8>]) -> (H256, Vec<Vec<u8>>) {
	type Layout = LayoutV1<BlakeTwo256>;
	let mut db = MemoryDB::<BlakeTwo256>::default();
	let mut root = H256::zero();
	{
		let mut trie = TrieDBMutBuilderV1::<BlakeTwo256>::new(&mut db, &mut root).build();
		trie.insert(
			&TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER),
			&value,
		)
		.unwrap();
		// Another attester's anchor of the same digest.
		trie.insert(
			&TestAnchorLayout::storage_key(&digest, &Attester::Account(88)),
			&anchor_value(88, 2, 1_800),
		)
		.unwrap();
		for i in 0u8..20 {
			trie.insert(&[b"other", [i].as_slice()].concat(), &[i; 40])
				.unwrap();
		}
	}
	let mut recorder = sp_trie::Recorder::<Layout>::new();
	{
		let trie = sp_trie::TrieDBBuilder::<Layout>::new(&db, &root)
			.with_recorder(&mut recorder)
			.build();
		for key in keys {
			sp_trie::Trie::get(&trie, key).unwrap();
		}
	}
	let mut proof: Vec<Vec<u8>> = recorder
		.drain()
		.into_iter()
		.map(|record| record.data)
		.collect();
	proof.sort();
	proof.dedup();
	(root, proof)
}

/// The attester of the anchor `child_state` proves.
const CHILD_ATTESTER: Attester<AccountId> = Attester::Account(77);

fn child_state(digest: H256, value: Vec<u8>) -> (H256, Vec<Vec<u8>>) {
	child_state_with_proof(
		digest,
		value,
		&[
			TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER),
			TestAnchorLayout::storage_key(&digest, &Attester::Account(88)),
		],
	)
}

/// Registers a chain and imports a header with the state root of `child_state`.
fn chain_with_state(digest: H256, value: Vec<u8>) -> (ChainId, H256, Vec<Vec<u8>>) {
	let chain_id = register();
	let (root, proof) = child_state(digest, value);
	let h = header(1, root, vec![]);
	assert_ok!(submit(chain_id, &h, justify(&h)));
	(chain_id, h.hash(), proof)
}

/// [`chain_with_state`] with the child anchor of `digest` indexed by OTHER; returns the chain
/// and the verified block.
fn chain_with_indexed_anchor(digest: H256) -> (ChainId, H256) {
	let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
	assert_ok!(ChildChains::index_child_anchor(
		RuntimeOrigin::signed(OTHER),
		chain_id,
		block,
		digest,
		CHILD_ATTESTER,
		proof
	));
	(chain_id, block)
}

mod extension;
mod finality;
mod proofs;
mod recovery;
mod registry;
