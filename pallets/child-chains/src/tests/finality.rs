//! Finality proofs: verification, authority-set changes, free imports, bounds.

use super::*;

#[test]
fn a_valid_proof_imports_the_header_for_free() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let header = header(1, H256::repeat_byte(1), vec![]);
		let justification = justify(&header);
		let call = crate::Call::<Test>::submit_finality_proof {
			chain_id,
			header: Box::new(header.clone()),
			justification: justification.clone(),
		};
		assert!(call.get_dispatch_info().call_weight.ref_time() > 0);
		let post = submit(chain_id, &header, justification).expect("the proof verifies");
		assert_eq!(post.pays_fee, Pays::No);
		let chain = Chains::<Test>::get(chain_id).unwrap();
		assert_eq!((chain.best_number, chain.best_hash), (1, header.hash()));
		assert_eq!(
			ImportedHeaders::<Test>::get(chain_id, header.hash()),
			Some(StoredChildHeader {
				number: 1,
				state_root: H256::repeat_byte(1)
			})
		);
		System::assert_last_event(
			Event::ChildHeaderImported {
				chain_id,
				number: 1,
				hash: header.hash(),
				state_root: H256::repeat_byte(1),
				submitter: RELAYER,
			}
			.into(),
		);
		// Headers may be skipped: finality of a later block implies the earlier ones.
		let later = self::header(9, H256::repeat_byte(9), vec![]);
		assert_ok!(submit(chain_id, &later, justify(&later)));
		assert_eq!(Chains::<Test>::get(chain_id).unwrap().best_number, 9);
		check_state();
	});
}

#[test]
fn free_imports_are_limited_per_chain_and_per_block() {
	new_test_ext().execute_with(|| {
		let genesis_of = |n: u32| header(0, H256::repeat_byte(n as u8), vec![]);
		let chains: Vec<ChainId> = (1..=3)
			.map(|n| register_with_genesis(genesis_of(n)))
			.collect();
		let pays = |chain_id, number: u32| {
			let h = header(number, H256::repeat_byte(number as u8), vec![]);
			submit(chain_id, &h, justify(&h))
				.expect("the proof verifies")
				.pays_fee
		};
		// One free import per chain per block...
		assert_eq!(pays(chains[0], 1), Pays::No);
		assert_eq!(pays(chains[0], 2), Pays::Yes);
		// ...and two (MaxFreeHeadersPerBlock) per block over all chains.
		assert_eq!(pays(chains[1], 1), Pays::No);
		assert_eq!(pays(chains[2], 1), Pays::Yes);
		// The next block has fresh slots.
		System::set_block_number(2);
		assert_eq!(pays(chains[2], 2), Pays::No);
		assert_eq!(pays(chains[0], 3), Pays::No);
		assert_eq!(pays(chains[1], 2), Pays::Yes);
		check_state();
	});
}

#[test]
fn stale_duplicate_and_unknown_proofs_fail_by_name() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(7, &h2, justify(&h2))),
			Error::<Test>::UnknownChain.into()
		);
		assert_ok!(submit(chain_id, &h2, justify(&h2)));
		assert_eq!(
			error_of(submit(chain_id, &h2, justify(&h2))),
			Error::<Test>::DuplicateHeader.into()
		);
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &h1, justify(&h1))),
			Error::<Test>::OldHeader.into()
		);
		let other_two = header(2, H256::repeat_byte(7), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &other_two, justify(&other_two))),
			Error::<Test>::OldHeader.into()
		);
	});
}

#[test]
fn forged_and_mismatched_justifications_fail_by_name() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h = header(1, H256::repeat_byte(1), vec![]);
		let before = Chains::<Test>::get(chain_id);

		// A forged signature.
		let mut forged = justify(&h);
		let mut signature = forged.commit.precommits[0].signature.encode();
		signature[5] ^= 1;
		forged.commit.precommits[0].signature = codec::Decode::decode(&mut &signature[..]).unwrap();
		assert_eq!(
			error_of(submit(chain_id, &h, forged)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);

		// Signed for another authority set id.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(&h, SET_ID + 1, test_keyring())
			)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);

		// A justification of another header.
		let other = header(1, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &h, justify(&other))),
			Error::<Test>::JustificationTargetMismatch.into()
		);

		// Two of three votes: not more than 2/3.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(&h, SET_ID, vec![(ALICE, 1), (BOB, 1)])
			)),
			Error::<Test>::TooLowCumulativeWeight.into()
		);

		// A vote from outside the set.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(
					&h,
					SET_ID,
					vec![(ALICE, 1), (BOB, 1), (DAVE, 1), (CHARLIE, 1)]
				)
			)),
			Error::<Test>::UnknownAuthorityVote.into()
		);

		// A duplicate vote.
		let mut duplicate = justify(&h);
		duplicate.commit.precommits[2] = duplicate.commit.precommits[0].clone();
		assert_eq!(
			error_of(submit(chain_id, &h, duplicate)),
			Error::<Test>::DuplicateAuthorityVote.into()
		);

		// A vote for a block that does not descend from the header.
		let mut unrelated = justify(&h);
		let stranger = header(5, H256::repeat_byte(5), vec![]);
		unrelated.commit.precommits[1] =
			signed_precommit::<ChildHeader>(&BOB, (stranger.hash(), 5), 7, SET_ID);
		assert_eq!(
			error_of(submit(chain_id, &h, unrelated)),
			Error::<Test>::UnrelatedAncestryVote.into()
		);

		// More precommits or ancestry headers than the bounds.
		let mut too_many = justify(&h);
		too_many.commit.precommits = vec![too_many.commit.precommits[0].clone(); 6];
		assert_eq!(
			error_of(submit(chain_id, &h, too_many)),
			Error::<Test>::TooManyPrecommits.into()
		);
		let mut too_long = justify(&h);
		too_long.votes_ancestries = vec![h.clone(); 5];
		assert_eq!(
			error_of(submit(chain_id, &h, too_long)),
			Error::<Test>::TooManyVotesAncestries.into()
		);

		// A redundant ancestry header.
		let mut redundant = justify(&h);
		redundant.votes_ancestries.push(stranger);
		assert_eq!(
			error_of(submit(chain_id, &h, redundant)),
			Error::<Test>::RedundantVotesAncestries.into()
		);

		assert_eq!(
			Chains::<Test>::get(chain_id).encode(),
			before.encode(),
			"nothing changed"
		);
	});
}

#[test]
fn scheduled_authority_set_changes_are_enacted() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let next = [DAVE, EVE, FERDIE];
		let h1 = header(1, H256::repeat_byte(1), vec![scheduled_change(&next, 0)]);
		// The change is finalized by the current set.
		assert_ok!(submit(chain_id, &h1, justify(&h1)));
		let set = AuthoritySets::<Test>::get(chain_id).unwrap();
		assert_eq!(set.set_id, SET_ID + 1);
		assert_eq!(set.authorities.len(), 3);
		System::assert_has_event(
			Event::AuthoritySetChanged {
				chain_id,
				at: 1,
				set_id: SET_ID + 1,
				authorities: 3,
			}
			.into(),
		);

		// The old set no longer finalizes anything.
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(
				chain_id,
				&h2,
				justify_by(&h2, SET_ID + 1, test_keyring())
			)),
			Error::<Test>::UnknownAuthorityVote.into()
		);
		// The new set does, under the new set id only.
		let new_set: Vec<_> = next.iter().map(|a| (*a, 1)).collect();
		assert_eq!(
			error_of(submit(
				chain_id,
				&h2,
				justify_by(&h2, SET_ID, new_set.clone())
			)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);
		assert_ok!(submit(chain_id, &h2, justify_by(&h2, SET_ID + 1, new_set)));
		check_state();
	});
}

#[test]
fn unsupported_changes_are_refused() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let delayed = header(1, H256::repeat_byte(1), vec![scheduled_change(&[DAVE], 5)]);
		assert_eq!(
			error_of(submit(chain_id, &delayed, justify(&delayed))),
			Error::<Test>::UnsupportedScheduledChange.into()
		);
		let forced_log = DigestItem::Consensus(
			GRANDPA_ENGINE_ID,
			ConsensusLog::<u32>::ForcedChange(
				0,
				ScheduledChange {
					next_authorities: vec![(DAVE.into(), 1)],
					delay: 0,
				},
			)
			.encode(),
		);
		let forced = header(1, H256::repeat_byte(1), vec![forced_log]);
		assert_eq!(
			error_of(submit(chain_id, &forced, justify(&forced))),
			Error::<Test>::UnsupportedForcedChange.into()
		);
		let empty = header(1, H256::repeat_byte(1), vec![scheduled_change(&[], 0)]);
		assert_eq!(
			error_of(submit(chain_id, &empty, justify(&empty))),
			Error::<Test>::InvalidAuthoritySet.into()
		);
	});
}

#[test]
fn a_set_change_weighs_more() {
	let plain = header(1, H256::zero(), vec![]);
	let change = header(1, H256::zero(), vec![scheduled_change(&[DAVE, EVE], 0)]);
	let justification = justify(&plain);
	assert!(
		ChildChains::finality_proof_weight(&change, &justification).ref_time()
			> ChildChains::finality_proof_weight(&plain, &justification).ref_time()
	);
}

#[test]
fn old_headers_are_pruned_from_the_ring_buffer() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let headers: Vec<_> = (1..=5)
			.map(|n| header(n, H256::repeat_byte(n as u8), vec![]))
			.collect();
		for h in &headers {
			assert_ok!(submit(chain_id, h, justify(h)));
		}
		let kept: Vec<u32> = ImportedHeaders::<Test>::iter_prefix_values(chain_id)
			.map(|h| h.number)
			.collect::<alloc::collections::BTreeSet<_>>()
			.into_iter()
			.collect();
		assert_eq!(kept, vec![3, 4, 5], "the last {HEADERS_TO_KEEP} headers");
		assert!(!ImportedHeaders::<Test>::contains_key(
			chain_id,
			genesis().hash()
		));
		check_state();
	});
}

/// A header `number` whose digest carries `padding` extra bytes.
fn padded_header(number: u32, padding: usize) -> ChildHeader {
	header(
		number,
		H256::repeat_byte(number as u8),
		vec![DigestItem::Other(vec![0; padding])],
	)
}

#[test]
fn an_oversized_header_is_refused_and_pays() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let padded = padded_header(1, MAX_HEADER_SIZE as usize);
		assert!(padded.encoded_size() > MAX_HEADER_SIZE as usize);
		assert_eq!(
			error_of(submit(chain_id, &padded, justify(&padded))),
			Error::<Test>::HeaderTooLarge.into()
		);
		// An oversized vote-ancestry header too.
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		let mut justification = justify(&h1);
		justification.votes_ancestries[0]
			.digest_mut()
			.push(DigestItem::Other(vec![0; MAX_HEADER_SIZE as usize]));
		assert_eq!(
			error_of(submit(chain_id, &h1, justification)),
			Error::<Test>::HeaderTooLarge.into()
		);
		// Registration and re-initialization take no oversized header either.
		assert_noop!(
			ChildChains::register_child_chain(
				RuntimeOrigin::signed(OTHER),
				b"big".to_vec(),
				b"BIG".to_vec(),
				H256::repeat_byte(1),
				Box::new(padded_header(4, MAX_HEADER_SIZE as usize)),
				authority_list(),
				SET_ID,
			),
			Error::<Test>::HeaderTooLarge
		);
	});
}

#[test]
fn only_small_proofs_are_free() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		// Within every bound but larger than MaxFreeFinalityProofSize: imported, and paid.
		let padded = padded_header(1, 900);
		let justification = justify(&padded);
		let size = padded.encoded_size() + justification.encoded_size();
		assert!(
			size > MAX_FREE_FINALITY_PROOF_SIZE as usize
				&& size <= MAX_FINALITY_PROOF_SIZE as usize
		);
		let post = submit(chain_id, &padded, justification).expect("the proof verifies");
		assert_eq!(post.pays_fee, Pays::Yes);
		// A small one after it in the same block pays too: the chain imported already.
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			submit(chain_id, &h2, justify(&h2)).unwrap().pays_fee,
			Pays::Yes
		);
		// A small proof in the next block is free.
		System::set_block_number(2);
		let h3 = header(3, H256::repeat_byte(3), vec![]);
		assert_eq!(
			submit(chain_id, &h3, justify(&h3)).unwrap().pays_fee,
			Pays::No
		);
		check_state();
	});
}

#[test]
fn a_proof_weighs_by_its_bytes() {
	new_test_ext().execute_with(|| {
		let small = header(1, H256::repeat_byte(1), vec![]);
		let big = padded_header(1, 900);
		let weight = |h: &ChildHeader| ChildChains::finality_proof_weight(h, &justify(h));
		assert!(weight(&big).ref_time() > weight(&small).ref_time());
		// Beyond the bounds the weight stops growing: the call fails before that work.
		let huge = padded_header(1, 100 * MAX_FINALITY_PROOF_SIZE as usize);
		let huger = padded_header(1, 200 * MAX_FINALITY_PROOF_SIZE as usize);
		assert_eq!(weight(&huge), weight(&huger));
	});
}
