// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitSetup} from "./InFlightExitSetup.sol";

/// @notice Helpers to build challenges of the usual scenario (alice pays bob, in flight).
abstract contract InFlightExitChallengeSetup is InFlightExitSetup {
    Utxo internal dep;
    bytes internal inFlightTx;
    bytes32 internal exitId;
    /// @notice Alice's double spend of the same deposit, to carol.
    bytes internal competingTx;

    function setUp() public virtual override {
        super.setUp();
        (dep, inFlightTx, exitId) = _startAlicePaysBob();
        competingTx = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
    }

    /// @notice A canonicity challenge with a competitor not shown included.
    function _challengeArgs(bytes memory competitor, uint256 key)
        internal
        view
        returns (IInFlightExitTypes.CanonicityChallenge memory c)
    {
        c.exitId = exitId;
        c.inputIndex = 0;
        c.inputTx = dep.txBytes;
        c.competingTx = competitor;
        c.competingInputIndex = 0;
        c.competingSignature = _sign(key, competitor);
        c.challenger = watcher;
    }

    /// @notice The same with the competitor included.
    function _challengeArgsIncluded(Included memory inc, uint256 key)
        internal
        view
        returns (IInFlightExitTypes.CanonicityChallenge memory c)
    {
        c = _challengeArgs(inc.txBytes, key);
        c.competingTxPos = inc.txPos;
        c.competingProof = inc.proof;
        c.competingBlockTimestamp = inc.timestamp;
    }

    function _challenge(IInFlightExitTypes.CanonicityChallenge memory c) internal {
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);
    }

    function _respond(Included memory inc, address responder) internal {
        vm.prank(responder);
        rootChain.respondToNonCanonicalChallenge(inc.txBytes, inc.txPos, inc.proof, inc.timestamp);
    }
}

contract InFlightExit_CanonicityChallenge_Test is InFlightExitChallengeSetup {
    function test_challengeNotCanonical_notIncluded_succeeds() public {
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitChallenged(exitId, watcher, keccak256(competingTx), type(uint64).max);
        _challenge(_challengeArgs(competingTx, aliceKey));
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertFalse(v.canonical);
        assertEq(v.oldestCompetitorPos, type(uint64).max);
        assertEq(v.bondOwner, watcher);
        // Nothing is paid at the challenge: the share goes to the winner at the end.
        assertEq(rootChain.bondsHeld(), ifeBond);
    }

    function test_challengeNotCanonical_included_succeeds() public {
        Included memory inc = _submit1(competingTx);
        _challenge(_challengeArgsIncluded(inc, aliceKey));
        assertEq(_view(exitId).oldestCompetitorPos, inc.txPos);
    }

    function test_challengeNotCanonical_olderCompetitorReplaces_succeeds() public {
        _challenge(_challengeArgs(competingTx, aliceKey));
        Included memory inc = _submit1(competingTx);
        _challenge(_challengeArgsIncluded(inc, aliceKey));
        assertEq(_view(exitId).oldestCompetitorPos, inc.txPos);
    }

    function test_challengeNotCanonical_notOlder_reverts() public {
        _challenge(_challengeArgs(competingTx, aliceKey));
        bytes memory other = TxBuilder.payment1(dep.pos, carol, address(0), 0.5 ether);
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(other, aliceKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInFlightExitTypes.InFlightExit_CompetitorNotOlder.selector, type(uint64).max, type(uint64).max
            )
        );
        _challenge(cc);
    }

    function test_challengeNotCanonical_zeroChallenger_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(competingTx, aliceKey);
        c.challenger = address(0);
        vm.expectRevert(IInFlightExitTypes.InFlightExit_ZeroReceiver.selector);
        _challenge(c);
    }

    function test_challengeNotCanonical_notFound_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(competingTx, aliceKey);
        c.exitId = bytes32(uint256(7));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotFound.selector, c.exitId));
        _challenge(c);
    }

    function test_challengeNotCanonical_afterFirstPhase_reverts() public {
        vm.warp(block.timestamp + MEP / 2);
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(competingTx, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_FirstPhaseOver.selector, exitId));
        _challenge(cc);
        assertTrue(_view(exitId).canonical);
    }

    function test_challengeNotCanonical_badIndex_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(competingTx, aliceKey);
        c.inputIndex = 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadIndex.selector, 1));
        _challenge(c);
    }

    function test_challengeNotCanonical_inputTxMismatch_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(competingTx, aliceKey);
        c.inputTx = TxBuilder.deposit(1, carol, address(0), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputTxMismatch.selector, 0));
        _challenge(c);
    }

    function test_challengeNotCanonical_sameTransaction_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(inFlightTx, aliceKey);
        vm.expectRevert(IInFlightExitTypes.InFlightExit_SameTransaction.selector);
        _challenge(cc);
    }

    function test_challengeNotCanonical_notPayment_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory cc =
            _challengeArgs(TxBuilder.deposit(1, alice, address(0), 1 ether), aliceKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_ChallengeNotPayment.selector, 2));
        _challenge(cc);
    }

    function test_challengeNotCanonical_notSpending_reverts() public {
        bytes memory other = TxBuilder.payment1(dep.pos + 1, carol, address(0), 1 ether);
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(other, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotSpending.selector, dep.pos, 0));
        _challenge(cc);
    }

    function test_challengeNotCanonical_badSignature_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(competingTx, carolKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadSignature.selector, carol, alice));
        _challenge(cc);
    }

    function test_challengeNotCanonical_invalidSignature_reverts() public {
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgs(competingTx, aliceKey);
        c.competingSignature = hex"1234";
        vm.expectRevert(IInFlightExitTypes.InFlightExit_InvalidSignature.selector);
        _challenge(c);
    }

    function test_challengeNotCanonical_badTxPosition_reverts() public {
        Included memory inc = _submit1(competingTx);
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgsIncluded(inc, aliceKey);
        c.competingTxPos = inc.txPos + 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadTxPosition.selector, inc.txPos + 1));
        _challenge(c);
    }

    function test_challengeNotCanonical_notIncluded_reverts() public {
        Included memory inc = _submit1(competingTx);
        IInFlightExitTypes.CanonicityChallenge memory c = _challengeArgsIncluded(inc, aliceKey);
        c.competingBlockTimestamp += 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotIncluded.selector, inc.txPos));
        _challenge(c);
    }
}

contract InFlightExit_Response_Test is InFlightExitChallengeSetup {
    function test_respond_succeeds() public {
        Included memory mine = _submit1(inFlightTx);
        _challenge(_challengeArgs(competingTx, aliceKey));
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitChallengeResponded(exitId, bob, mine.txPos);
        _respond(mine, bob);
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertTrue(v.canonical);
        assertEq(v.oldestCompetitorPos, mine.txPos);
        assertEq(v.bondOwner, bob);
    }

    function test_respond_afterFirstPhase_succeeds() public {
        Included memory mine = _submit1(inFlightTx);
        _challenge(_challengeArgs(competingTx, aliceKey));
        vm.warp(block.timestamp + MEP - 1);
        _respond(mine, bob);
        assertTrue(_view(exitId).canonical);
    }

    function test_respond_notChallenged_reverts() public {
        Included memory mine = _submit1(inFlightTx);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotChallenged.selector, exitId));
        _respond(mine, bob);
    }

    function test_respond_notOlder_reverts() public {
        Included memory theirs = _submit1(competingTx);
        Included memory mine = _submit1(inFlightTx);
        _challenge(_challengeArgsIncluded(theirs, aliceKey));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_ResponseNotOlder.selector, mine.txPos, theirs.txPos)
        );
        _respond(mine, bob);
        assertFalse(_view(exitId).canonical);
    }

    function test_respond_notIncluded_reverts() public {
        Included memory mine = _submit1(inFlightTx);
        _challenge(_challengeArgs(competingTx, aliceKey));
        mine.timestamp += 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotIncluded.selector, mine.txPos));
        _respond(mine, bob);
    }

    function test_respond_notFound_reverts() public {
        Included memory other = _submit1(competingTx);
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotFound.selector, keccak256(competingTx))
        );
        _respond(other, bob);
    }

    function test_respond_afterProcessing_reverts() public {
        Included memory mine = _submit1(inFlightTx);
        _piggybackOutput(bob, inFlightTx, 0);
        _challenge(_challengeArgs(competingTx, aliceKey));
        _processAll(address(0), _view(exitId).exitableAt);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_AlreadyProcessed.selector, exitId));
        _respond(mine, bob);
    }

    function test_challenge_afterResponse_needsOlderCompetitor() public {
        Included memory mine = _submit1(inFlightTx);
        _challenge(_challengeArgs(competingTx, aliceKey));
        _respond(mine, bob);
        // The unincluded competitor can no longer be used.
        IInFlightExitTypes.CanonicityChallenge memory cc = _challengeArgs(competingTx, aliceKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInFlightExitTypes.InFlightExit_CompetitorNotOlder.selector, type(uint64).max, mine.txPos
            )
        );
        _challenge(cc);
    }
}

contract InFlightExit_InputSpent_Test is InFlightExitChallengeSetup {
    function setUp() public override {
        super.setUp();
        _piggybackInput(alice, exitId, 0, dep.txBytes);
    }

    function _challengeInput(bytes memory spend, bytes memory sig) internal {
        vm.prank(watcher);
        rootChain.challengeInFlightExitInputSpent(exitId, 0, spend, 0, sig, watcher);
    }

    function test_challengeInputSpent_succeeds() public {
        uint256 before = watcher.balance;
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitInputBlocked(exitId, watcher, 0);
        _challengeInput(competingTx, _sign(aliceKey, competingTx));
        assertEq(_view(exitId).piggybacked, 0);
        assertEq(watcher.balance, before + spentShare);
        assertEq(rootChain.bondsHeld(), ifeBond);
    }

    function test_challengeInputSpent_notPiggybacked_reverts() public {
        _challengeInput(competingTx, _sign(aliceKey, competingTx));
        bytes memory sig_ = _sign(aliceKey, competingTx);
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotPiggybacked.selector, exitId, false, 0)
        );
        _challengeInput(competingTx, sig_);
    }

    function test_challengeInputSpent_sameTransaction_reverts() public {
        bytes memory sig_ = _sign(aliceKey, inFlightTx);
        vm.expectRevert(IInFlightExitTypes.InFlightExit_SameTransaction.selector);
        _challengeInput(inFlightTx, sig_);
    }

    function test_challengeInputSpent_notSpending_reverts() public {
        bytes memory other = TxBuilder.payment1(dep.pos + 1, carol, address(0), 1 ether);
        bytes memory sig_ = _sign(aliceKey, other);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotSpending.selector, dep.pos, 0));
        _challengeInput(other, sig_);
    }

    function test_challengeInputSpent_badSignature_reverts() public {
        bytes memory sig_ = _sign(bobKey, competingTx);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadSignature.selector, bob, alice));
        _challengeInput(competingTx, sig_);
        assertEq(_view(exitId).piggybacked, 1);
    }

    function test_challengeInputSpent_zeroChallenger_reverts() public {
        bytes memory sig = _sign(aliceKey, competingTx);
        vm.expectRevert(IInFlightExitTypes.InFlightExit_ZeroReceiver.selector);
        rootChain.challengeInFlightExitInputSpent(exitId, 0, competingTx, 0, sig, address(0));
    }
}

contract InFlightExit_OutputSpent_Test is InFlightExitChallengeSetup {
    Included internal mine;
    bytes internal spend;

    function setUp() public override {
        super.setUp();
        mine = _submit1(inFlightTx);
        _piggybackOutput(bob, inFlightTx, 0);
        spend = TxBuilder.payment1(mine.txPos, carol, address(0), 0.6 ether);
    }

    function _spentArgs(uint64 txPos, bytes memory spendingTx, uint256 key)
        internal
        view
        returns (IInFlightExitTypes.OutputSpentChallenge memory c)
    {
        c.inFlightTx = inFlightTx;
        c.inFlightTxPos = txPos;
        c.inFlightTxProof = mine.proof;
        c.blockTimestamp = mine.timestamp;
        c.outputIndex = 0;
        c.spendingTx = spendingTx;
        c.spendingInputIndex = 0;
        c.signature = _sign(key, spendingTx);
        c.challenger = watcher;
    }

    function _challengeOutput(IInFlightExitTypes.OutputSpentChallenge memory c) internal {
        vm.prank(watcher);
        rootChain.challengeInFlightExitOutputSpent(c);
    }

    function test_challengeOutputSpent_succeeds() public {
        uint256 before = watcher.balance;
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitOutputBlocked(exitId, watcher, 0);
        _challengeOutput(_spentArgs(mine.txPos, spend, bobKey));
        assertEq(_view(exitId).piggybacked, 0);
        assertEq(watcher.balance, before + spentShare);
        assertEq(rootChain.bondsHeld(), ifeBond);
    }

    function test_challengeOutputSpent_notPiggybacked_reverts() public {
        IInFlightExitTypes.OutputSpentChallenge memory c = _spentArgs(mine.txPos, spend, bobKey);
        c.outputIndex = 1;
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotPiggybacked.selector, exitId, true, 1)
        );
        _challengeOutput(c);
    }

    function test_challengeOutputSpent_notIncluded_reverts() public {
        IInFlightExitTypes.OutputSpentChallenge memory c = _spentArgs(mine.txPos, spend, bobKey);
        c.blockTimestamp += 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotIncluded.selector, mine.txPos));
        _challengeOutput(c);
    }

    function test_challengeOutputSpent_notSpending_reverts() public {
        // A spend of output 1 shown against output 0.
        bytes memory other = TxBuilder.payment1(mine.txPos + 1, carol, address(0), 0.4 ether);
        IInFlightExitTypes.OutputSpentChallenge memory oc = _spentArgs(mine.txPos, other, bobKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotSpending.selector, mine.txPos, 0));
        _challengeOutput(oc);
    }

    function test_challengeOutputSpent_badSignature_reverts() public {
        IInFlightExitTypes.OutputSpentChallenge memory oc = _spentArgs(mine.txPos, spend, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadSignature.selector, alice, bob));
        _challengeOutput(oc);
        assertEq(_view(exitId).piggybacked, 1 << 4);
    }

    function test_challengeOutputSpent_notPayment_reverts() public {
        bytes memory d = TxBuilder.deposit(1, bob, address(0), 1);
        IInFlightExitTypes.OutputSpentChallenge memory oc = _spentArgs(mine.txPos, d, bobKey);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_ChallengeNotPayment.selector, 2));
        _challengeOutput(oc);
    }
}
