// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../src/interfaces/IInFlightExitGame.sol";
import {TxBuilder} from "../shared/TxBuilder.sol";
import {InFlightExitSetup} from "../exits/inflight/InFlightExitSetup.sol";

/// @title IFE_InvalidInputs
/// @notice Attacks on the inputs of an in-flight exit:
///         1. an input that was never committed (a withheld block's made-up output) or a
///            fabricated proof: refused (inclusion check); seen to fail without it (the
///            `_inputIncluded` check removed from `_checkInputTx`, the start succeeds);
///         2. an input whose owner did not sign: refused (signature check); seen to fail
///            without it (the recover check removed, the start succeeds);
///         3. an input from an INVALID block the operator committed (money from nothing):
///            the exit is ranked by its YOUNGEST input (position and block time, MoreVP), so
///            an honest output created before the invalid block is paid first, in full.
///            Seen to fail without it: keying the queue on the oldest input (`inputAt(0)`)
///            and timing on now + period puts the theft ahead; alice's exit is then short.
contract IFE_InvalidInputs_Test is InFlightExitSetup {
    function test_inputNeverCommitted_refused() public {
        // The operator claims an output of a block it never committed (or withholds).
        bytes memory ghost = TxBuilder.payment1(uint64(1e9), operator, address(0), 50 ether);
        (, bytes memory proof) = TxBuilder.single(ghost);
        Utxo memory u = Utxo(TxBuilder.position(5000, 0, 0), ghost, proof, block.timestamp);
        (address op, uint256 opKey) = makeAddrAndKey("operator");
        assertEq(op, operator);
        bytes memory theft = TxBuilder.payment1(u.pos, operator, address(0), 50 ether);
        IInFlightExitTypes.StartArgs memory a = _args(theft, _one(u), _keys1(opKey));
        vm.deal(operator, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputNotIncluded.selector, 0, u.pos));
        _start(operator, a);
    }

    function test_forgedProof_refused() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory payTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        IInFlightExitTypes.StartArgs memory a = _args(payTx, _one(dep), _keys1(aliceKey));
        a.inputProofs[0][100] = 0x42;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputNotIncluded.selector, 0, dep.pos));
        _start(bob, a);
    }

    function test_inputNotSignedByOwner_refused() public {
        // Bob fabricates a payment of alice's deposit to himself and signs it himself.
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory theft = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        IInFlightExitTypes.StartArgs memory a = _args(theft, _one(dep), _keys1(bobKey));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadInputSignature.selector, 0, bob, alice)
        );
        _start(bob, a);
    }

    function test_inputFromInvalidBlock_paidAfterHonestOutputs() public {
        (address op, uint256 opKey) = makeAddrAndKey("operator");
        vm.deal(op, 10 ether);
        // The operator's own small deposit (the OLDEST input of its theft)...
        Utxo memory opDep = _depositETH(op, 0.1 ether);
        vm.warp(block.timestamp + 1 hours);
        // ...alice's honest deposit...
        Utxo memory aliceDep = _depositETH(alice, 1 ether);
        vm.warp(block.timestamp + 1 hours);
        // ...then an invalid block: 10 ETH for the operator out of nothing.
        Included memory bad = _submit1(TxBuilder.payment1(uint64(9e9), op, address(0), 10 ether));
        uint64[] memory ins = new uint64[](2);
        ins[0] = opDep.pos;
        ins[1] = bad.txPos;
        bytes memory theft = TxBuilder.payment(ins, TxBuilder.outs1(op, address(0), 10.1 ether));
        bytes32 id = _start(op, _args(theft, _two(opDep, _utxo(bad, 0)), _keys2(opKey, opKey)));
        _piggybackOutput(op, theft, 0);
        // Alice sees the invalid block and exits at once (same second as the theft).
        vm.prank(alice);
        rootChain.startStandardExit{value: exitBond}(aliceDep.pos, aliceDep.txBytes, aliceDep.proof, aliceDep.timestamp);

        IInFlightExitTypes.InFlightExitView memory v = _view(id);
        uint256 alice0 = alice.balance;
        uint256 op0 = op.balance;
        vm.warp(v.exitableAt);
        _process(address(0));
        // Alice is paid in full; the theft gets only what is left (the operator's own 0.1).
        assertEq(alice.balance - alice0, 1 ether + exitBond - rootChain.PROCESS_BOUNTY());
        assertEq(op.balance - op0, 0.1 ether + 2 * spentShare + canonicityShare);
        // Because the exit ranks by its youngest input, the invalid block's.
        assertEq(v.youngestPos, bad.txPos);
        assertEq(v.exitableAt, bad.timestamp + 2 * MEP);
    }
}
