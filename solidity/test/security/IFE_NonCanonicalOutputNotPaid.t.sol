// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_NonCanonicalOutputNotPaid
/// @notice Attack: alice double-spends her deposit: payTx to bob (in flight) and dblTx to
///         carol (included, carol exits it). Bob piggybacks payTx's output hoping to be paid
///         as well. Protection: a canonicity challenge with the included competitor makes the
///         exit non-canonical, and a non-canonical exit pays only piggybacked inputs (here
///         none), never outputs. Seen to fail without it: with `_settle` paying outputs
///         regardless of canonicity (`isOutput == canonical` replaced by `true`), bob is paid
///         1 ETH and the vault drops below dave's 5 ETH.
contract IFE_NonCanonicalOutputNotPaid_Test is InFlightExitSetup {
    function test_outputOfNonCanonicalTx_notPaid() public {
        address dave = makeAddr("dave");
        vm.deal(dave, 5 ether);
        _depositETH(dave, 5 ether);
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        bytes memory dblTx = TxBuilder.payment1(dep.pos, carol, address(0), 1 ether);
        Included memory inc = _submit1(dblTx);

        bytes32 id = _start(bob, _args(payTx, _one(dep), _keys1(aliceKey)));
        _piggybackOutput(bob, payTx, 0);
        vm.prank(carol);
        rootChain.startStandardExit{value: exitBond}(inc.txPos, dblTx, inc.proof, inc.timestamp);

        IInFlightExitTypes.CanonicityChallenge memory c;
        c.exitId = id;
        c.inputTx = dep.txBytes;
        c.competingTx = dblTx;
        c.competingTxPos = inc.txPos;
        c.competingProof = inc.proof;
        c.competingBlockTimestamp = inc.timestamp;
        c.competingSignature = _sign(aliceKey, dblTx);
        c.challenger = watcher;
        vm.prank(watcher);
        rootChain.challengeInFlightExitNotCanonical(c);

        uint256 bob0 = bob.balance;
        uint256 carol0 = carol.balance;
        vm.warp(block.timestamp + 3 * MEP);
        _process(address(0));
        assertEq(bob.balance - bob0, 2 * spentShare);
        assertEq(carol.balance - carol0, 1 ether + exitBond - rootChain.PROCESS_BOUNTY());
        assertEq(_status(_outputId(payTx, 0)), 0);
        assertEq(address(rootChain).balance, 5 ether);
    }
}
