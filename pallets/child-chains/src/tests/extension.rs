//! The transaction pool's check: proofs that cannot import are refused before any block
//! includes them, so nobody pays for them.

use super::*;
use frame_support::{dispatch::DispatchInfo, weights::Weight};
use sp_runtime::{
	traits::{DispatchTransaction, Dispatchable, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

fn proof_call(chain_id: ChainId, header: &ChildHeader) -> RuntimeCall {
	RuntimeCall::ChildChains(crate::Call::submit_finality_proof {
		chain_id,
		header: Box::new(header.clone()),
		justification: justify(header),
	})
}

/// What the pool (and a block builder) says of `call` sent by `who`.
fn pool_check(who: AccountId, call: &RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckChildFinalityProof::<Test>::new()
		.validate_only(
			Some(who).into(),
			call,
			&DispatchInfo::default(),
			call.encoded_size(),
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

fn custom(error: Error<Test>) -> TransactionValidityError {
	InvalidTransaction::Custom(error.encode()[0]).into()
}

#[test]
fn the_loser_of_a_relayer_race_is_dropped_before_it_pays() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		let call = proof_call(chain_id, &h1);
		// Two relayers send the same proof; both are valid while neither is in a block.
		assert_eq!(pool_check(RELAYER, &call), Ok(()));
		assert_eq!(pool_check(OTHER, &call), Ok(()));
		let other_before = Balances::balance(&OTHER);
		assert_ok!(submit(chain_id, &h1, justify(&h1)));
		// The second is now stale: the pool drops it and no block can include it, so OTHER
		// pays nothing.
		assert_eq!(
			pool_check(OTHER, &call),
			Err(InvalidTransaction::Stale.into())
		);
		assert_eq!(Balances::balance(&OTHER), other_before);
		// An older header is stale too.
		let h0 = header(0, H256::repeat_byte(2), vec![]);
		assert_eq!(
			pool_check(OTHER, &proof_call(chain_id, &h0)),
			Err(InvalidTransaction::Stale.into())
		);
		// A newer one is welcome.
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(pool_check(OTHER, &proof_call(chain_id, &h2)), Ok(()));
	});
}

#[test]
fn proofs_for_unknown_pending_or_halted_chains_never_enter_a_block() {
	new_test_ext().execute_with(|| {
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		assert_eq!(
			pool_check(RELAYER, &proof_call(9, &h1)),
			Err(custom(Error::<Test>::UnknownChain))
		);
		let pending = register_pending_by(OTHER, genesis(), authority_list());
		assert_eq!(
			pool_check(RELAYER, &proof_call(pending, &h1)),
			Err(custom(Error::<Test>::ChainNotApproved))
		);
		let chain_id = register_with_genesis(header(0, H256::repeat_byte(3), vec![]));
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		assert_eq!(
			pool_check(RELAYER, &proof_call(chain_id, &h1)),
			Err(custom(Error::<Test>::ChainHalted))
		);
	});
}

#[test]
fn oversized_and_unfollowable_proofs_never_enter_a_block() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let padded = header(
			1,
			H256::repeat_byte(1),
			vec![DigestItem::Other(vec![0; MAX_HEADER_SIZE as usize])],
		);
		assert_eq!(
			pool_check(RELAYER, &proof_call(chain_id, &padded)),
			Err(custom(Error::<Test>::HeaderTooLarge))
		);
		let forced = header(
			1,
			H256::repeat_byte(1),
			vec![DigestItem::Consensus(
				GRANDPA_ENGINE_ID,
				ConsensusLog::<u32>::ForcedChange(
					0,
					ScheduledChange {
						next_authorities: authority_list(),
						delay: 0,
					},
				)
				.encode(),
			)],
		);
		assert_eq!(
			pool_check(RELAYER, &proof_call(chain_id, &forced)),
			Err(custom(Error::<Test>::UnsupportedForcedChange))
		);
	});
}

#[test]
fn other_calls_pass_untouched_and_cost_nothing_extra() {
	new_test_ext().execute_with(|| {
		let call = RuntimeCall::ChildChains(crate::Call::deregister_child_chain { chain_id: 9 });
		assert_eq!(pool_check(RELAYER, &call), Ok(()));
		assert_eq!(
			CheckChildFinalityProof::<Test>::new().weight(&call),
			Weight::zero()
		);
		let chain_id = register();
		let proof = proof_call(chain_id, &header(1, H256::repeat_byte(1), vec![]));
		assert_eq!(
			CheckChildFinalityProof::<Test>::new().weight(&proof),
			<Test as frame_system::Config>::DbWeight::get().reads_writes(2, 1)
		);
	});
}

#[test]
fn only_a_proof_through_the_pool_check_is_free_not_one_wrapped_in_a_batch() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		// Through the extension (validate, prepare, dispatch): free.
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		let call = proof_call(chain_id, &h1);
		let post = CheckChildFinalityProof::<Test>::new()
			.test_run(
				Some(RELAYER).into(),
				&call,
				&DispatchInfo::default(),
				call.encoded_size(),
				0,
				|origin| call.clone().dispatch(origin),
			)
			.expect("valid in the pool")
			.expect("imports");
		assert_eq!(post.pays_fee, Pays::No);
		// Dispatched without the mark (as inside utility.batch, where the pool sees only the
		// batch): it imports, but pays, and takes no free slot.
		System::set_block_number(2);
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			submit_wrapped(chain_id, &h2, justify(&h2))
				.unwrap()
				.pays_fee,
			Pays::Yes
		);
		assert_eq!(
			FreeHeaders::<Test>::get(),
			(1, 1),
			"no slot of block 2 taken"
		);
	});
}
