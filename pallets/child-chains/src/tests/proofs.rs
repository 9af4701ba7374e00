//! Storage proofs and the index of child anchors.

use super::*;

#[test]
fn anchors_indexed_from_a_rejected_chain_are_no_longer_served_but_a_deregistered_chains_are() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, _) = chain_with_indexed_anchor(digest);
		assert_eq!(ChildChains::child_anchor(digest).len(), 1);
		// Deregistered by its owner: what it proved stays proven.
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OWNER),
			chain_id
		));
		assert_eq!(ChildChains::child_anchor(digest).len(), 1);

		// A chain governance rejects (say, one approved before approvals existed that turns
		// out forged): its index entries are no longer served.
		let (forged, block) = chain_with_indexed_anchor(digest);
		assert_eq!(ChildChains::child_anchor(digest).len(), 2);
		assert_eq!(
			ChildChains::child_header(forged, block).map(|h| h.number),
			Some(1)
		);
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			forged,
			true
		));
		assert!(RejectedChains::<Test>::contains_key(forged));
		let served = ChildChains::child_anchor(digest);
		assert_eq!(served.len(), 1);
		assert_eq!(served[0].chain_id, chain_id);
		assert_eq!(ChildChains::child_header(forged, block), None);
		check_state();
	});
}

#[test]
fn a_child_anchor_is_proven_and_indexed() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		assert_ok!(ChildChains::index_child_anchor(
			RuntimeOrigin::signed(OTHER),
			chain_id,
			block,
			digest,
			CHILD_ATTESTER,
			proof.clone()
		));
		let record = ChildAnchors::<Test>::get(digest, (chain_id, CHILD_ATTESTER)).unwrap();
		assert_eq!(record.child_owner, 77);
		assert_eq!(record.attester, CHILD_ATTESTER);
		assert_eq!((record.anchored_at, record.anchored_at_time), (1, 1_700));
		assert_eq!(
			(record.child_block_hash, record.child_block_number),
			(block, 1)
		);
		assert_eq!(record.indexed_by, OTHER);
		assert_eq!(ChildChains::child_anchor(digest), vec![record]);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::IndexDeposit.into(), &OTHER),
			INDEX_DEPOSIT
		);
		System::assert_last_event(
			Event::ChildAnchorIndexed {
				digest,
				chain_id,
				attester: CHILD_ATTESTER,
				child_block_hash: block,
				child_block_number: 1,
				child_owner: 77,
				indexed_by: OTHER,
				deposit: INDEX_DEPOSIT,
			}
			.into(),
		);
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof
			),
			Error::<Test>::AlreadyIndexed
		);
		check_state();

		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OWNER),
				digest,
				chain_id,
				CHILD_ATTESTER
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OTHER),
				digest,
				chain_id + 1,
				CHILD_ATTESTER
			),
			Error::<Test>::NotIndexed
		);
		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OTHER),
				digest,
				chain_id,
				Attester::Account(88)
			),
			Error::<Test>::NotIndexed
		);
		assert_ok!(ChildChains::remove_child_anchor(
			RuntimeOrigin::signed(OTHER),
			digest,
			chain_id,
			CHILD_ATTESTER
		));
		assert!(ChildChains::child_anchor(digest).is_empty());
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::IndexDeposit.into(), &OTHER),
			0
		);
		check_state();
	});
}

/// The attack: someone indexes their own anchor of a digest on a child chain first, to block
/// the indexing of another attester's anchor of the same digest.
#[test]
fn indexing_ones_own_child_anchor_first_blocks_nobody_elses() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		for attester in [Attester::Account(88), CHILD_ATTESTER] {
			assert_ok!(ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				attester,
				proof.clone()
			));
		}
		let mut owners: Vec<_> = ChildChains::child_anchor(digest)
			.into_iter()
			.map(|record| (record.child_owner, record.anchored_at))
			.collect();
		owners.sort();
		assert_eq!(owners, vec![(77, 1), (88, 2)]);
		// An attester with no anchor on the child is not indexed.
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				Attester::Account(99),
				proof
			),
			Error::<Test>::NotAnchoredOnChild
		);
		check_state();
	});
}

#[test]
fn bad_storage_proofs_fail_by_name() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		let index = |chain_id, block, digest, proof| {
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof,
			)
		};

		// Every node altered in turn: the proof no longer reaches the value.
		for i in 0..proof.len() {
			let mut tampered = proof.clone();
			let last = tampered[i].len() - 1;
			tampered[i][last] ^= 0x55;
			assert_noop!(
				index(chain_id, block, digest, tampered),
				Error::<Test>::InvalidStorageProof
			);
		}
		// A node missing.
		assert_noop!(
			index(chain_id, block, digest, proof[1..].to_vec()),
			Error::<Test>::InvalidStorageProof
		);
		assert_noop!(
			index(chain_id, block, digest, vec![]),
			Error::<Test>::InvalidStorageProof
		);
		// The proof shows another digest is absent.
		assert_noop!(
			index(chain_id, block, H256::repeat_byte(0xd2), proof.clone()),
			Error::<Test>::NotAnchoredOnChild
		);
		assert_noop!(
			index(chain_id, H256::repeat_byte(3), digest, proof.clone()),
			Error::<Test>::UnknownChildBlock
		);
		assert_noop!(
			index(chain_id + 1, block, digest, proof.clone()),
			Error::<Test>::UnknownChain
		);
		assert_noop!(
			index(
				chain_id,
				block,
				digest,
				vec![vec![0; MAX_PROOF_SIZE as usize + 1]]
			),
			Error::<Test>::StorageProofTooLarge
		);
	});
}

#[test]
fn an_undecodable_value_is_refused() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, vec![1, 2]);
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof
			),
			Error::<Test>::UndecodableChildAnchor
		);
	});
}

#[test]
fn read_child_storage_answers_for_any_key() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let value = anchor_value(77, 1, 1_700);
		let key = TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER);
		let keys = [key.clone(), b"other\x03".to_vec(), b"absent".to_vec()];
		let chain_id = register();
		let (root, proof) = child_state_with_proof(digest, value.clone(), &keys);
		let h = header(1, root, vec![]);
		assert_ok!(submit(chain_id, &h, justify(&h)));
		let block = h.hash();
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, proof.clone()),
			Ok(Some(value))
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, b"other\x03", proof.clone()),
			Ok(Some(vec![3; 40]))
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, b"absent", proof.clone()),
			Ok(None)
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, H256::zero(), &key, proof.clone()),
			Err(ChildProofError::UnknownBlock)
		);
		assert_eq!(
			ChildChains::read_child_storage(5, block, &key, proof),
			Err(ChildProofError::UnknownChain)
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, vec![]),
			Err(ChildProofError::BadProof)
		);
	});
}

#[test]
fn try_state_catches_a_broken_ring() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		check_state();
		ImportedHashes::<Test>::insert(chain_id, 2, H256::repeat_byte(9));
		assert!(ChildChains::do_try_state().is_err());
	});
}

#[test]
fn storage_proofs_are_bounded_by_nodes_and_may_not_have_empty_nodes() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(5, 3, 1_000));
		let index = |proof: Vec<Vec<u8>>| {
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(RELAYER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof,
			)
		};
		// Tiny nodes, many of them: small in bytes, too many to hash.
		let mut many = proof.clone();
		many.extend((0..MAX_PROOF_NODES).map(|i| vec![i as u8 + 1]));
		assert!(ChildChains::proof_size(&many) < MAX_PROOF_SIZE);
		assert_noop!(index(many.clone()), Error::<Test>::StorageProofTooManyNodes);
		let mut empty = proof.clone();
		empty.push(vec![]);
		assert_noop!(index(empty.clone()), Error::<Test>::EmptyStorageProofNode);
		// The runtime API applies the same bounds.
		let key = TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, many),
			Err(ChildProofError::ProofTooLarge)
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, empty),
			Err(ChildProofError::ProofTooLarge)
		);
		// The weight follows nodes as well as bytes.
		let mut more_nodes = proof.clone();
		more_nodes.extend((0..4).map(|_| vec![1u8]));
		assert!(
			ChildChains::index_child_anchor_weight(&more_nodes).ref_time()
				> ChildChains::index_child_anchor_weight(&proof).ref_time()
		);
		assert_ok!(index(proof));
		check_state();
	});
}
