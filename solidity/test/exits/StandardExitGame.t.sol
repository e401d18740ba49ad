// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonTest} from "../shared/CommonTest.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {IExitGameErrors} from "../../src/interfaces/IExitGameErrors.sol";
import {IRootChain} from "../../src/interfaces/IRootChain.sol";
import {IStandardExitGame} from "../../src/interfaces/IStandardExitGame.sol";
import {IPlasmaFramework} from "../../src/interfaces/IPlasmaFramework.sol";
import {StandardExitGame} from "../../src/exits/StandardExitGame.sol";
import {ExitQueueLib} from "../../src/lib/ExitQueueLib.sol";
import {MerkleLib} from "../../src/lib/MerkleLib.sol";
import {TxLib} from "../../src/lib/TxLib.sol";
import {RevertingReceiver} from "../mocks/ExitAgent.sol";
import {NoBoolToken} from "../../src/test-helpers/NoBoolToken.sol";

contract StandardExitGame_Constructor_Test is CommonTest {
    function test_constructor_bondSplit_succeeds() public {
        StandardExitGame game = new StandardExitGame(1 days, 7);
        assertEq(game.CHALLENGER_SHARE(), game.CHALLENGE_GAS() * 7);
        assertEq(game.PROCESS_BOUNTY(), game.PROCESS_GAS() * 7);
        assertEq(game.EXIT_BOND(), 2 * game.CHALLENGER_SHARE() + game.PROCESS_BOUNTY());
        assertEq(game.GAME_ID(), 1);
    }

    function test_constructor_periodTooLong_reverts() public {
        uint256 period = uint256(type(uint32).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IExitGameErrors.RootChain_BadExitPeriod.selector, period));
        new StandardExitGame(period, 1);
    }

    function test_constructor_zeroBondGasPrice_reverts() public {
        vm.expectRevert(IExitGameErrors.RootChain_ZeroBondGasPrice.selector);
        new StandardExitGame(1 weeks, 0);
    }
}

contract StandardExitGame_StartStandardExit_Test is CommonTest {
    function test_startStandardExit_depositOutput_succeeds() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        uint64 pos = TxBuilder.position(dep.blknum, 0, 0);
        uint64 exitableAt = uint64(block.timestamp + MIN_EXIT_PERIOD);
        bytes32 exitId = _exitId(dep.txBytes, 0);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitStarted(exitId, pos, alice, address(0), 1 ether, exitableAt);
        _startExit(alice, dep, 0);
        (uint8 status, address owner, uint256 amount) = rootChain.outputExit(exitId);
        assertEq(owner, alice);
        assertEq(amount, 1 ether);
        assertEq(status, 1);
        assertEq(rootChain.exitIdAt(pos), exitId);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
        (uint64 headAt, uint64 headPos, uint8 gameId) = rootChain.nextExit(address(0));
        assertEq(headAt, exitableAt);
        assertEq(headPos, pos);
        assertEq(gameId, 1);
        assertEq(address(rootChain).balance, 1 ether + EXIT_BOND);
        assertEq(rootChain.bondsHeld(), EXIT_BOND);
        assertEq(rootChain.availableFunds(address(0)), 1 ether);
    }

    function test_startStandardExit_freshChildBlock_waitsTwoPeriods_succeeds() public {
        (, Committed memory pay) = _aliceDepositsThenPaysBob(2 ether);
        vm.warp(block.timestamp + 1 days);
        uint64 pos = _startExit(bob, pay, 0);
        (uint64 at, uint64 headPos,) = rootChain.nextExit(address(0));
        assertEq(headPos, pos);
        assertEq(at, pay.timestamp + 2 * MIN_EXIT_PERIOD);
    }

    function test_startStandardExit_oldChildBlock_waitsOnePeriod_succeeds() public {
        (, Committed memory pay) = _aliceDepositsThenPaysBob(2 ether);
        vm.warp(block.timestamp + 30 days);
        uint64 pos = _startExit(alice, pay, 1);
        (uint64 at, uint64 headPos,) = rootChain.nextExit(address(0));
        assertEq(headPos, pos);
        assertEq(at, block.timestamp + MIN_EXIT_PERIOD);
        (,, uint256 amount) = rootChain.outputExit(_exitId(pay.txBytes, 1));
        assertEq(amount, 1 ether);
    }

    function test_startStandardExit_tokenOutput_separateQueue_succeeds() public {
        Committed memory dep = _depositToken(alice, 3 ether);
        uint64 pos = TxBuilder.position(dep.blknum, 0, 0);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitStarted(
            _exitId(dep.txBytes, 0), pos, alice, address(token), 3 ether, uint64(block.timestamp + MIN_EXIT_PERIOD)
        );
        _startExit(alice, dep, 0);
        assertEq(rootChain.exitQueueLength(address(token)), 1);
        assertEq(rootChain.exitQueueLength(address(0)), 0);
    }

    function test_startStandardExit_txInMultiTxBlock_succeeds() public {
        bytes[] memory txs = new bytes[](3);
        bytes32[] memory leaves = new bytes32[](3);
        for (uint256 i; i < 3; ++i) {
            txs[i] =
                TxBuilder.payment1(TxBuilder.position(1, 0, 0) + uint64(i), i == 2 ? bob : alice, address(0), i + 1);
            leaves[i] = TxBuilder.leaf(txs[i]);
        }
        (bytes32 root, bytes memory proof) = TxBuilder.rootAndProof(leaves, 2);
        vm.prank(operator);
        rootChain.submitBlock(root);
        uint64 pos = TxBuilder.position(1000, 2, 0);
        vm.prank(bob);
        rootChain.startStandardExit{value: EXIT_BOND}(pos, txs[2], proof, block.timestamp);
        assertEq(_status(txs[2], 0), 1);
        // The same proof does not work for another index.
        vm.expectRevert(
            abi.encodeWithSelector(IStandardExitGame.RootChain_BadInclusion.selector, TxBuilder.position(1000, 1, 0))
        );
        vm.prank(bob);
        rootChain.startStandardExit{value: EXIT_BOND}(TxBuilder.position(1000, 1, 0), txs[2], proof, block.timestamp);
    }

    function test_startStandardExit_badBond_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_BadBond.selector, EXIT_BOND - 1, EXIT_BOND));
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND - 1}(
            TxBuilder.position(dep.blknum, 0, 0), dep.txBytes, dep.proof, dep.timestamp
        );
    }

    function test_startStandardExit_twice_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        _startExit(alice, dep, 0);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitExists.selector, _exitId(dep.txBytes, 0)));
        _startExit(alice, dep, 0);
    }

    function test_startStandardExit_blockNotFound_reverts() public {
        bytes memory txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1);
        (, bytes memory proof) = TxBuilder.single(txBytes);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_BlockNotFound.selector, 1000));
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(TxBuilder.position(1000, 0, 0), txBytes, proof, block.timestamp);
    }

    function test_startStandardExit_notOwner_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_NotOutputOwner.selector, bob, alice));
        _startExit(bob, dep, 0);
    }

    function test_startStandardExit_outputNotFound_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        vm.expectRevert(
            abi.encodeWithSelector(IStandardExitGame.RootChain_OutputNotFound.selector, TxBuilder.position(dep.blknum, 0, 1))
        );
        _startExit(alice, dep, 1);
    }

    function test_startStandardExit_wrongTimestamp_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        dep.timestamp += 1;
        vm.expectRevert(
            abi.encodeWithSelector(IStandardExitGame.RootChain_BadInclusion.selector, TxBuilder.position(dep.blknum, 0, 0))
        );
        _startExit(alice, dep, 0);
    }

    function test_startStandardExit_wrongProof_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        dep.proof[5] = 0x01;
        vm.expectRevert(
            abi.encodeWithSelector(IStandardExitGame.RootChain_BadInclusion.selector, TxBuilder.position(dep.blknum, 0, 0))
        );
        _startExit(alice, dep, 0);
    }

    function test_startStandardExit_shortProof_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        dep.proof = abi.encodePacked(dep.proof, bytes1(0));
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_BadProofLength.selector, 513));
        _startExit(alice, dep, 0);
    }

    function test_startStandardExit_txIndexOutOfRange_reverts() public {
        Committed memory pay = _submit(TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1));
        // txindex 65,536 + 0 aliases nothing: the index bound rejects it.
        uint64 pos = uint64(1000 * 1e9 + 65_536 * 1e4);
        vm.expectRevert(abi.encodeWithSelector(MerkleLib.MerkleLib_IndexOutOfRange.selector, 65_536));
        vm.prank(alice);
        rootChain.startStandardExit{value: EXIT_BOND}(pos, pay.txBytes, pay.proof, pay.timestamp);
    }

    function test_startStandardExit_depositTxInChildBlock_reverts() public {
        bytes memory dtx = TxBuilder.deposit(1000, alice, address(0), 1 ether);
        Committed memory c = _submit(dtx);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_TxTypeNotExitable.selector, 1000, 2));
        _startExit(alice, c, 0);
    }

    function test_startStandardExit_paymentInDepositBlock_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        dep.txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), alice, address(0), 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_TxTypeNotExitable.selector, 1, 1));
        _startExit(alice, dep, 0);
    }

    function test_startStandardExit_nonCanonicalTx_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        dep.txBytes = abi.encodePacked(dep.txBytes, bytes1(0));
        vm.expectRevert(abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, 107, 108));
        _startExit(alice, dep, 0);
    }
}

contract StandardExitGame_ChallengeStandardExit_Test is CommonTest {
    Committed internal dep;
    uint64 internal pos;
    bytes internal spend;

    function setUp() public override {
        super.setUp();
        dep = _depositETH(alice, 1 ether);
        pos = _startExit(alice, dep, 0);
        spend = TxBuilder.payment2(pos, bob, alice, address(0), 0.4 ether, 0.6 ether);
    }

    function test_challengeStandardExit_signedSpend_succeeds() public {
        bytes memory sig = _sign(aliceKey, spend);
        uint256 before = carol.balance;
        bytes32 exitId = _exitId(dep.txBytes, 0);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitChallenged(exitId, pos, carol, keccak256(spend), 0);
        vm.prank(bob);
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
        // The challenger earns its share; the rest of the bond is forfeited to the contract.
        assertEq(carol.balance, before + CHALLENGER_SHARE);
        assertEq(rootChain.bondsHeld(), 0);
        assertEq(address(rootChain).balance, 1 ether + EXIT_BOND - CHALLENGER_SHARE);
        (uint8 status, address owner, uint256 amount) = rootChain.outputExit(exitId);
        assertEq(owner, alice);
        assertEq(amount, 1 ether);
        assertEq(status, 2);
        // Lazily deleted: the entry stays queued until processing pops it.
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_challengeStandardExit_laterInput_succeeds() public {
        Committed memory dep2 = _depositETH(alice, 1 ether);
        uint64[] memory inputs = new uint64[](2);
        inputs[0] = pos;
        inputs[1] = TxBuilder.position(dep2.blknum, 0, 0);
        bytes memory twoIn = TxBuilder.payment(inputs, TxBuilder.outs1(bob, address(0), 2 ether));
        uint64 pos2 = _startExit(alice, dep2, 0);
        rootChain.challengeStandardExit(pos2, twoIn, 1, _sign(aliceKey, twoIn), carol);
        assertEq(_statusAt(pos2), 2);
    }

    function test_challengeStandardExit_twice_reverts() public {
        bytes memory sig = _sign(aliceKey, spend);
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitNotActive.selector, pos));
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
    }

    function test_challengeStandardExit_noExit_reverts() public {
        bytes memory sig = _sign(aliceKey, spend);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ExitNotActive.selector, pos + 1));
        rootChain.challengeStandardExit(pos + 1, spend, 0, sig, carol);
    }

    function test_challengeStandardExit_zeroChallenger_reverts() public {
        bytes memory sig = _sign(aliceKey, spend);
        vm.expectRevert(IStandardExitGame.RootChain_ZeroChallenger.selector);
        rootChain.challengeStandardExit(pos, spend, 0, sig, address(0));
    }

    function test_challengeStandardExit_depositTx_reverts() public {
        bytes memory dtx = TxBuilder.deposit(5, alice, address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_ChallengeNotPayment.selector, 2));
        rootChain.challengeStandardExit(pos, dtx, 0, new bytes(65), carol);
    }

    function test_challengeStandardExit_otherOutput_reverts() public {
        bytes memory other = TxBuilder.payment1(pos + 1, bob, address(0), 1);
        bytes memory sig = _sign(aliceKey, other);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_NotSpendingExit.selector, pos, 0));
        rootChain.challengeStandardExit(pos, other, 0, sig, carol);
    }

    function test_challengeStandardExit_inputIndexTooLarge_reverts() public {
        bytes memory sig = _sign(aliceKey, spend);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_NotSpendingExit.selector, pos, 1));
        rootChain.challengeStandardExit(pos, spend, 1, sig, carol);
    }

    function test_challengeStandardExit_wrongSigner_reverts() public {
        bytes memory sig = _sign(bobKey, spend);
        vm.expectRevert(abi.encodeWithSelector(IStandardExitGame.RootChain_BadChallengeSignature.selector, bob, alice));
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
    }

    function test_challengeStandardExit_badSignatureLength_reverts() public {
        bytes memory sig = abi.encodePacked(_sign(aliceKey, spend), bytes1(0));
        vm.expectRevert(IStandardExitGame.RootChain_InvalidSignature.selector);
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
    }

    function test_challengeStandardExit_badV_reverts() public {
        bytes memory sig = _sign(aliceKey, spend);
        sig[64] = bytes1(uint8(sig[64]) - 27); // v ∈ {0, 1}
        vm.expectRevert(IStandardExitGame.RootChain_InvalidSignature.selector);
        rootChain.challengeStandardExit(pos, spend, 0, sig, carol);
    }

    function test_challengeStandardExit_revertingChallenger_defersBond_succeeds() public {
        RevertingReceiver receiver = new RevertingReceiver();
        bytes memory sig = _sign(aliceKey, spend);
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.PayoutDeferred(address(receiver), address(0), CHALLENGER_SHARE);
        rootChain.challengeStandardExit(pos, spend, 0, sig, address(receiver));
        assertEq(rootChain.withdrawable(address(receiver), address(0)), CHALLENGER_SHARE);
        assertEq(rootChain.reserved(address(0)), CHALLENGER_SHARE);
        assertEq(_statusAt(pos), 2);
    }
}

contract StandardExitGame_ProcessExits_Test is CommonTest {
    function test_processExits_paysMaturedExit_succeeds() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        uint64 pos = _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        uint256 aliceBefore = alice.balance;
        uint256 carolBefore = carol.balance;
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitProcessed(_exitId(dep.txBytes, 0), pos, alice, address(0), 1 ether, false);
        vm.prank(carol);
        uint256 n = rootChain.processExits(address(0), 10);
        assertEq(n, 1);
        assertEq(alice.balance, aliceBefore + 1 ether + EXIT_BOND - PROCESS_BOUNTY);
        assertEq(carol.balance, carolBefore + PROCESS_BOUNTY);
        assertEq(_statusAt(pos), 3);
        assertEq(rootChain.exitIdAt(pos), bytes32(0));
        assertEq(rootChain.exitQueueLength(address(0)), 0);
        assertEq(address(rootChain).balance, 0);
        assertEq(rootChain.bondsHeld(), 0);
    }

    function test_processExits_notMatured_succeeds() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD - 1);
        assertEq(rootChain.processExits(address(0), 10), 0);
        assertEq(rootChain.exitQueueLength(address(0)), 1);
    }

    function test_processExits_emptyQueue_succeeds() public {
        assertEq(rootChain.processExits(address(0), 10), 0);
        assertEq(rootChain.processExits(address(token), 0), 0);
    }

    function test_processExits_priorityOrderAndMax_succeeds() public {
        // Three deposits exiting at t, t + 1 day (two of them, ordered by position).
        Committed memory d1 = _depositETH(alice, 1 ether);
        Committed memory d2 = _depositETH(alice, 2 ether);
        Committed memory d3 = _depositETH(bob, 3 ether);
        vm.warp(block.timestamp + 1 days);
        uint64 p3 = _startExit(bob, d3, 0);
        uint64 p2 = _startExit(alice, d2, 0);
        vm.warp(block.timestamp - 1 days);
        uint64 p1 = _startExit(alice, d1, 0);
        (, uint64 head,) = rootChain.nextExit(address(0));
        assertEq(head, p1);
        vm.warp(block.timestamp + 2 * MIN_EXIT_PERIOD);
        assertEq(rootChain.processExits(address(0), 2), 2);
        assertEq(_statusAt(p1), 3);
        assertEq(_statusAt(p2), 3);
        assertEq(_statusAt(p3), 1);
        assertEq(rootChain.processExits(address(0), 2), 1);
        assertEq(_statusAt(p3), 3);
    }

    function test_processExits_skipsChallenged_succeeds() public {
        Committed memory d1 = _depositETH(alice, 1 ether);
        Committed memory d2 = _depositETH(bob, 2 ether);
        uint64 p1 = _startExit(alice, d1, 0);
        uint64 p2 = _startExit(bob, d2, 0);
        bytes memory spend = TxBuilder.payment1(p1, bob, address(0), 1 ether);
        rootChain.challengeStandardExit(p1, spend, 0, _sign(aliceKey, spend), carol);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        uint256 carolBefore = carol.balance;
        vm.prank(carol);
        // The challenged entry counts towards maxExits.
        assertEq(rootChain.processExits(address(0), 1), 1);
        assertEq(_statusAt(p2), 1);
        assertEq(carol.balance, carolBefore);
        vm.prank(carol);
        assertEq(rootChain.processExits(address(0), 1), 1);
        assertEq(_statusAt(p2), 3);
        assertEq(carol.balance, carolBefore + PROCESS_BOUNTY);
        assertEq(_statusAt(p1), 2);
    }

    function test_processExits_tokenExit_succeeds() public {
        Committed memory dep = _depositToken(alice, 3 ether);
        uint64 pos = _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        uint256 ethBefore = alice.balance;
        uint256 tokBefore = token.balanceOf(alice);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitProcessed(_exitId(dep.txBytes, 0), pos, alice, address(token), 3 ether, false);
        assertEq(rootChain.processExits(address(token), 5), 1);
        assertEq(token.balanceOf(alice), tokBefore + 3 ether);
        assertEq(alice.balance, ethBefore + EXIT_BOND - PROCESS_BOUNTY);
        assertEq(token.balanceOf(address(rootChain)), 0);
    }

    function test_processExits_noBoolToken_succeeds() public {
        NoBoolToken usdt = new NoBoolToken();
        Committed memory dep = _mintAndDeposit(alice, address(usdt), 10e6);
        uint64 pos = _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        vm.expectEmit(address(rootChain));
        emit IStandardExitGame.ExitProcessed(_exitId(dep.txBytes, 0), pos, alice, address(usdt), 10e6, false);
        rootChain.processExits(address(usdt), 1);
        assertEq(usdt.balanceOf(alice), 10e6);
    }

    function test_processExits_revertingCaller_defersBounty_succeeds() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        RevertingReceiver caller = new RevertingReceiver();
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.PayoutDeferred(address(caller), address(0), PROCESS_BOUNTY);
        assertEq(caller.process(rootChain, address(0), 1), 1);
        assertEq(rootChain.withdrawable(address(caller), address(0)), PROCESS_BOUNTY);
    }

    function test_processExits_revertingOwner_defers_succeeds() public {
        RevertingReceiver receiver = new RevertingReceiver();
        vm.deal(address(receiver), 1 ether);
        Committed memory dep = _depositETH(address(receiver), 1 ether);
        receiver.exit{value: EXIT_BOND}(
            rootChain, TxBuilder.position(dep.blknum, 0, 0), dep.txBytes, dep.proof, dep.timestamp
        );
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        uint256 owed = 1 ether + EXIT_BOND - PROCESS_BOUNTY;
        vm.expectEmit(address(rootChain));
        emit IPlasmaFramework.PayoutDeferred(address(receiver), address(0), owed);
        assertEq(rootChain.processExits(address(0), 1), 1);
        assertEq(rootChain.withdrawable(address(receiver), address(0)), owed);
    }

    function test_processExits_lowGas_reverts() public {
        Committed memory dep = _depositETH(alice, 1 ether);
        _startExit(alice, dep, 0);
        vm.warp(block.timestamp + MIN_EXIT_PERIOD);
        // Too little gas for the payout's full allowance: the whole call reverts instead of
        // deferring the payout.
        (bool ok,) = address(rootChain).call{gas: 45_000}(abi.encodeCall(IPlasmaFramework.processExits, (address(0), 1)));
        assertFalse(ok);
        assertEq(_status(dep.txBytes, 0), 1);
    }
}

contract StandardExitGame_NextExit_Test is CommonTest {
    function test_nextExit_empty_reverts() public {
        vm.expectRevert(ExitQueueLib.ExitQueueLib_Empty.selector);
        rootChain.nextExit(address(0));
    }
}

contract StandardExitGame_OutputExit_Test is CommonTest {
    function test_outputExit_unknown_succeeds() public view {
        (uint8 status, address owner, uint256 amount) = rootChain.outputExit(bytes32(uint256(123)));
        assertEq(owner, address(0));
        assertEq(amount, 0);
        assertEq(status, 0);
        assertEq(rootChain.exitIdAt(123), bytes32(0));
    }
}

contract RootChain_TxSigningHash_Test is CommonTest {
    function test_txSigningHash_matchesEip712_succeeds() public view {
        bytes memory txBytes = TxBuilder.payment1(TxBuilder.position(1, 0, 0), bob, address(0), 5);
        bytes32 outputHash = keccak256(
            abi.encode(keccak256("Output(address owner,address token,uint256 amount)"), bob, address(0), uint256(5))
        );
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Transaction(uint8 txType,uint64[] inputs,Output[] outputs,bytes32 metadata)Output(address owner,address token,uint256 amount)"
                ),
                uint8(1),
                keccak256(abi.encode(uint256(1e9))),
                keccak256(abi.encode(outputHash)),
                bytes32(0)
            )
        );
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Plasma"),
                keccak256("1"),
                block.chainid,
                address(rootChain)
            )
        );
        assertEq(rootChain.txSigningHash(txBytes), keccak256(abi.encodePacked(hex"1901", domain, structHash)));
    }
}
