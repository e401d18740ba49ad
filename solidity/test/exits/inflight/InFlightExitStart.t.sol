// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {IPlasmaFramework} from "../../../src/interfaces/IPlasmaFramework.sol";
import {RootChain} from "../../../src/RootChain.sol";
import {StandardExitGame} from "../../../src/exits/StandardExitGame.sol";
import {InFlightExitChallenges} from "../../../src/exits/inflight/InFlightExitChallenges.sol";
import {InFlightExitGame} from "../../../src/exits/inflight/InFlightExitGame.sol";
import {TxLib} from "../../../src/lib/TxLib.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitSetup} from "./InFlightExitSetup.sol";

contract InFlightExit_Start_Test is InFlightExitSetup {
    function test_startInFlightExit_oneInput_succeeds() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        bytes32 exitId = keccak256(inFlightTx);
        bytes32[] memory ids = new bytes32[](1);
        ids[0] = _outputId(dep.txBytes, 0);
        uint64 exitableAt = uint64(dep.timestamp + 2 * MEP);
        vm.expectEmit(address(rootChain));
        emit IInFlightExitTypes.InFlightExitStarted(exitId, alice, _inputsOf(_one(dep)), ids, exitableAt, dep.pos);
        _start(alice, a);

        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        assertEq(v.bondOwner, alice);
        assertEq(v.exitableAt, exitableAt);
        assertEq(v.startedAt, block.timestamp);
        assertEq(v.youngestPos, dep.pos);
        assertTrue(v.canonical);
        assertEq(v.numInputs, 1);
        assertEq(v.numOutputs, 2);
        assertEq(v.inputPositions[0], dep.pos);
        assertEq(v.inputIds[0], ids[0]);
        assertEq(v.pendingTokens, 0);
        assertEq(rootChain.bondsHeld(), ifeBond);
        // Nothing is queued before a piggyback.
        assertEq(rootChain.exitQueueLength(address(0)), 0);
    }

    function test_startInFlightExit_byReceiver_succeeds() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        // Bob owns only an output: "any party" may start.
        _start(bob, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
        assertEq(_view(keccak256(inFlightTx)).bondOwner, bob);
    }

    function test_startInFlightExit_twoInputsMixedTokens_succeeds() public {
        Utxo memory eth = _depositETH(alice, 1 ether);
        vm.warp(block.timestamp + 1 days);
        Utxo memory tok = _depositToken(bob, 5 ether);
        TxBuilder.Out[] memory o = new TxBuilder.Out[](2);
        o[0] = TxBuilder.Out(bob, address(0), 1 ether);
        o[1] = TxBuilder.Out(alice, address(token), 5 ether);
        bytes memory inFlightTx = TxBuilder.payment(_inputsOf(_two(eth, tok)), o);
        bytes32 exitId = _start(bob, _args(inFlightTx, _two(eth, tok), _keys2(aliceKey, bobKey)));
        IInFlightExitTypes.InFlightExitView memory v = _view(exitId);
        // The youngest input (the token deposit) gives priority and exit time.
        assertEq(v.youngestPos, tok.pos);
        assertEq(v.exitableAt, tok.timestamp + 2 * MEP);
    }

    function test_startInFlightExit_exitTimeIsNowPlusPeriodForOldInputs_succeeds() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        vm.warp(block.timestamp + 30 days);
        bytes32 exitId = _start(alice, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
        assertEq(_view(exitId).exitableAt, block.timestamp + MEP);
    }

    function test_startInFlightExit_childBlockInput_succeeds() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        Included memory inc = _submit1(TxBuilder.payment1(dep.pos, alice, address(0), 1 ether));
        bytes memory inFlightTx = TxBuilder.payment1(inc.txPos, bob, address(0), 1 ether);
        bytes32 exitId = _start(bob, _args(inFlightTx, _one(_utxo(inc, 0)), _keys1(aliceKey)));
        assertEq(_view(exitId).youngestPos, inc.txPos);
    }

    function test_startInFlightExit_badBond_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadBond.selector, ifeBond - 1, ifeBond));
        vm.prank(alice);
        rootChain.startInFlightExit{value: ifeBond - 1}(a);
        assertEq(rootChain.bondsHeld(), 0);
    }

    function test_startInFlightExit_notPayment_reverts() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        IInFlightExitTypes.StartArgs memory a = _args(dep.txBytes, new Utxo[](0), new uint256[](0));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotPayment.selector, uint8(2)));
        _start(alice, a);
    }

    function test_startInFlightExit_malformedTx_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        a.inFlightTx = bytes.concat(inFlightTx, hex"00");
        vm.expectRevert(
            abi.encodeWithSelector(TxLib.TxLib_BadLength.selector, inFlightTx.length, inFlightTx.length + 1)
        );
        _start(alice, a);
    }

    function test_startInFlightExit_twice_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx, bytes32 exitId) = _startAlicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_Exists.selector, exitId));
        _start(bob, a);
        assertEq(rootChain.bondsHeld(), ifeBond);
    }

    function test_startInFlightExit_badArrayLength_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        a.inputSignatures = new bytes[](2);
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadArrayLength.selector, 1, 2));
        _start(alice, a);
    }

    function test_startInFlightExit_inputMismatch_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        a.inputUtxoPos[0] = dep.pos + 1;
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputMismatch.selector, 0, dep.pos + 1, dep.pos)
        );
        _start(alice, a);
    }

    function test_startInFlightExit_inputTxTypeNotExitable_reverts() public {
        // A PAYMENT offered as the transaction of a deposit-block input.
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory fake = TxBuilder.payment1(dep.pos, alice, address(0), 1 ether);
        dep.txBytes = fake;
        bytes memory inFlightTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether);
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputTxTypeNotExitable.selector, 0, uint8(1))
        );
        _start(alice, a);
    }

    function test_startInFlightExit_inputOutputNotFound_reverts() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        Included memory inc = _submit1(TxBuilder.payment1(dep.pos, alice, address(0), 1 ether));
        Utxo memory u = _utxo(inc, 1); // the payment has one output
        bytes memory inFlightTx = TxBuilder.payment1(u.pos, bob, address(0), 1 ether);
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(u), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputOutputNotFound.selector, 0, u.pos));
        _start(alice, a);
    }

    function test_startInFlightExit_inputNotIncluded_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        a.inputBlockTimestamps[0] += 1;
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_InputNotIncluded.selector, 0, dep.pos));
        _start(alice, a);
    }

    function test_startInFlightExit_badInputSignature_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(bobKey));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadInputSignature.selector, 0, bob, alice)
        );
        _start(alice, a);
    }

    function test_startInFlightExit_malformedSignature_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        a.inputSignatures[0] = hex"00";
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadInputSignature.selector, 0, address(0), alice)
        );
        _start(alice, a);
    }

    function test_startInFlightExit_inflation_reverts() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory inFlightTx = TxBuilder.payment1(dep.pos, bob, address(0), 1 ether + 1);
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_Inflation.selector, address(0)));
        _start(alice, a);
    }

    function test_startInFlightExit_tokenFromNothing_reverts() public {
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory inFlightTx = TxBuilder.payment1(dep.pos, bob, address(token), 1);
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_Inflation.selector, address(token)));
        _start(alice, a);
    }

    function test_startInFlightExit_notParty_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_NotParty.selector, carol));
        _start(carol, a);
        assertEq(_view(keccak256(inFlightTx)).bondOwner, address(0));
    }

    function test_startInFlightExit_directCall_reverts() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        vm.expectRevert(abi.encodeWithSignature("RootChain_NotDelegateCall()"));
        vm.prank(alice);
        ifeGame.startInFlightExit{value: ifeBond}(a);
    }

    /// @notice Any split of the inputs into outputs is accepted; one wei more is refused.
    function testFuzz_startInFlightExit_conservation(uint256 first, uint256 extra) public {
        first = bound(first, 1, 1 ether - 1);
        extra = bound(extra, 0, 1);
        Utxo memory dep = _depositETH(alice, 1 ether);
        bytes memory inFlightTx = TxBuilder.payment2(dep.pos, bob, alice, address(0), first, 1 ether - first + extra);
        IInFlightExitTypes.StartArgs memory a = _args(inFlightTx, _one(dep), _keys1(aliceKey));
        if (extra != 0) {
            vm.expectRevert(abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_Inflation.selector, address(0)));
        }
        _start(alice, a);
    }

    function test_startInFlightExit_conservation_fixed() public {
        testFuzz_startInFlightExit_conservation(1, 0);
        testFuzz_startInFlightExit_conservation(0.5 ether, 1);
    }
}

contract InFlightExit_Deployment_Test is InFlightExitSetup {
    function test_constructor_modules_succeeds() public view {
        assertEq(rootChain.IN_FLIGHT_EXIT_GAME(), address(ifeGame));
        assertEq(rootChain.IN_FLIGHT_EXIT_CHALLENGES(), address(ifeChallenges));
        assertEq(ifeGame.GAME_ID(), 2);
        assertEq(ifeBond, canonicityShare + processBounty);
        assertEq(piggybackBond, 2 * spentShare + processBounty);
    }

    function test_constructor_periodMismatch_reverts() public {
        InFlightExitChallenges c = new InFlightExitChallenges(MEP + 1, BOND_GAS_PRICE);
        InFlightExitGame g = new InFlightExitGame(MEP + 1, BOND_GAS_PRICE, address(c));
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadExitGame.selector, address(g)));
        new RootChain(operator, address(standardGame), address(g));
    }

    function test_constructor_priceMismatch_reverts() public {
        InFlightExitChallenges c = new InFlightExitChallenges(MEP, BOND_GAS_PRICE + 1);
        InFlightExitGame g = new InFlightExitGame(MEP, BOND_GAS_PRICE + 1, address(c));
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadExitGame.selector, address(g)));
        new RootChain(operator, address(standardGame), address(g));
    }

    function test_constructor_gamesSwapped_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(IPlasmaFramework.RootChain_BadExitGame.selector, address(ifeGame)));
        new RootChain(operator, address(ifeGame), address(standardGame));
    }

    function test_constructor_badChallengesModule_reverts() public {
        InFlightExitChallenges c = new InFlightExitChallenges(MEP, BOND_GAS_PRICE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadChallengesModule.selector, address(c))
        );
        new InFlightExitGame(MEP, BOND_GAS_PRICE, address(c));
        vm.expectRevert(
            abi.encodeWithSelector(IInFlightExitTypes.InFlightExit_BadChallengesModule.selector, address(0xbeef))
        );
        new InFlightExitGame(MEP, BOND_GAS_PRICE, address(0xbeef));
    }

    /// @notice Each ERC-7201 namespace slot is the formula's.
    function test_namespaces_slots() public pure {
        assertEq(_erc7201("plasma.exits.inflight"), 0xc6f22ef5327027f4881681bb2c415554cbf85b399044eb8f731f2bc6cf8c0a00);
        assertEq(_erc7201("plasma.exits.standard"), 0x71fbb102ad323401fcb33e94d50328066f6287ad577008649e22bed5b1015e00);
        assertEq(_erc7201("plasma.framework"), 0xd1774316eb40867a21a117970b2833483ca17a0b797b0e24168ad2e2b5ebc700);
    }

    /// @notice The namespace the in-flight module writes is the one recomputed above.
    function test_namespace_isUsed() public {
        (Utxo memory dep, bytes memory inFlightTx) = _alicePaysBob();
        _start(alice, _args(inFlightTx, _one(dep), _keys1(aliceKey)));
        bytes32 exitSlot = keccak256(abi.encode(keccak256(inFlightTx), _erc7201("plasma.exits.inflight")));
        assertEq(address(uint160(uint256(vm.load(address(rootChain), exitSlot)))), alice);
    }

    function _erc7201(string memory ns) internal pure returns (bytes32) {
        return keccak256(abi.encode(uint256(keccak256(bytes(ns))) - 1)) & ~bytes32(uint256(0xff));
    }
}
