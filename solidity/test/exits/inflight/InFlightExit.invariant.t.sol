// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";

import {IInFlightExitTypes} from "../../../src/interfaces/IInFlightExitGame.sol";
import {IRootChain} from "../../../src/interfaces/IRootChain.sol";
import {TxBuilder} from "../../shared/TxBuilder.sol";
import {InFlightExitSetup} from "./InFlightExitSetup.sol";

/// @title ByzantineOperatorHandler
/// @notice What a byzantine operator can do against alice's payment to bob, which alice signed
///         and both exit in flight: withhold it or include it (at any index), commit invalid
///         blocks that mint it money, exit those outputs in flight or with standard exits,
///         challenge with whatever it can forge, and process exits at any time.
contract ByzantineOperatorHandler is Test {
    IRootChain internal immutable rootChain;
    address internal immutable op;
    uint256 internal immutable opKey;
    bytes internal payTx;
    bytes32 internal exitId;
    Utxo internal aliceDep;
    /// @notice The operator's deposit made BEFORE alice's: the oldest input of its thefts.
    Utxo internal opDep;
    uint256 internal salt;

    struct Utxo {
        uint64 pos;
        bytes txBytes;
        bytes proof;
        uint256 timestamp;
    }

    constructor(
        IRootChain rootChain_,
        address op_,
        uint256 opKey_,
        bytes memory payTx_,
        Utxo memory dep,
        Utxo memory opDep_
    ) {
        opDep = opDep_;
        rootChain = rootChain_;
        op = op_;
        opKey = opKey_;
        payTx = payTx_;
        exitId = keccak256(payTx_);
        aliceDep = dep;
        vm.deal(op_, 1_000 ether);
    }

    function _sign(bytes memory txBytes) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(opKey, rootChain.txSigningHash(txBytes));
        return abi.encodePacked(r, s, v);
    }

    /// @notice Commits a block with `txBytes` at `index` among filler leaves; returns its proof.
    function _commit(bytes memory txBytes, uint256 index) internal returns (uint64 txPos, bytes memory proof) {
        bytes32[] memory leaves = new bytes32[](index + 1);
        for (uint256 i; i < index; ++i) {
            leaves[i] = keccak256(abi.encode("filler", salt++, i));
        }
        leaves[index] = TxBuilder.leaf(txBytes);
        bytes32 root;
        (root, proof) = TxBuilder.rootAndProof(leaves, index);
        txPos = uint64(rootChain.nextChildBlock() * 1e9 + index * 1e4);
        vm.prank(op);
        rootChain.submitBlock(root);
    }

    /// @notice Include alice's payment (or not: it is the operator's choice).
    function includePayment(uint8 index) external {
        _commit(payTx, index % 8);
    }

    /// @notice An invalid block minting `amount` for the operator, exited in flight with its
    ///         own deposit, older than alice's, as the other input, and piggybacked.
    function mintAndExitInFlight(uint96 amount) external {
        amount = uint96(bound(amount, 1, 100 ether));
        Utxo memory old = opDep;
        bytes memory mint = TxBuilder.payment1(uint64(9e9 + (++salt % 60_000) * 1e4), op, address(0), amount);
        (uint64 mintPos, bytes memory mintProof) = _commit(mint, salt % 4);
        uint64[] memory ins = new uint64[](2);
        ins[0] = old.pos;
        ins[1] = mintPos;
        bytes memory theft = TxBuilder.payment(ins, TxBuilder.outs1(op, address(0), uint256(amount) + 0.01 ether));
        IInFlightExitTypes.StartArgs memory a;
        a.inFlightTx = theft;
        a.inputTxs = new bytes[](2);
        a.inputTxs[0] = old.txBytes;
        a.inputTxs[1] = mint;
        a.inputUtxoPos = ins;
        a.inputProofs = new bytes[](2);
        a.inputProofs[0] = old.proof;
        a.inputProofs[1] = mintProof;
        a.inputBlockTimestamps = new uint256[](2);
        a.inputBlockTimestamps[0] = old.timestamp;
        a.inputBlockTimestamps[1] = block.timestamp;
        a.inputSignatures = new bytes[](2);
        a.inputSignatures[0] = _sign(theft);
        a.inputSignatures[1] = a.inputSignatures[0];
        uint256 ifeBond = rootChain.IFE_BOND();
        uint256 pbBond = rootChain.PIGGYBACK_BOND();
        vm.startPrank(op);
        rootChain.startInFlightExit{value: ifeBond}(a);
        rootChain.piggybackInFlightExitOnOutput{value: pbBond}(theft, 0);
        vm.stopPrank();
    }

    /// @notice An invalid block minting `amount`, exited with a standard exit.
    function mintAndExitStandard(uint96 amount) external {
        amount = uint96(bound(amount, 1, 100 ether));
        bytes memory mint = TxBuilder.payment1(uint64(8e9 + (++salt % 60_000) * 1e4), op, address(0), amount);
        (uint64 pos, bytes memory proof) = _commit(mint, salt % 4);
        uint256 bond = rootChain.EXIT_BOND();
        vm.prank(op);
        rootChain.startStandardExit{value: bond}(pos, mint, proof, block.timestamp);
    }

    /// @notice A canonicity challenge with a competitor the operator signed itself (refused).
    function forgeCompetitor(uint96 amount) external {
        bytes memory fake = TxBuilder.payment1(aliceDep.pos, op, address(0), uint256(amount) + 1);
        IInFlightExitTypes.CanonicityChallenge memory c;
        c.exitId = exitId;
        c.inputTx = aliceDep.txBytes;
        c.competingTx = fake;
        c.competingSignature = _sign(fake);
        c.challenger = op;
        vm.prank(op);
        try rootChain.challengeInFlightExitNotCanonical(c) {
            revert("forged competitor accepted");
        } catch {}
    }

    function warp(uint32 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 3 days));
    }

    function process(uint8 n) external {
        vm.prank(op);
        rootChain.processExits(address(0), bound(n, 1, 5));
    }
}

/// @title InFlightExit_Invariant_Test
/// @notice Invariant: an honest user who watches the chain and acts within the periods never
///         loses funds, whatever the operator does. Alice signs a payment to bob; both start
///         and piggyback the in-flight exit at once; the operator (handler) then does what it
///         likes. After everything matures and is processed, bob has his 0.6 ETH and alice her
///         0.4 ETH change.
contract InFlightExit_Invariant_Test is InFlightExitSetup {
    ByzantineOperatorHandler internal handler;
    bytes internal payTx;
    bytes32 internal id;
    uint256 internal alice0;
    uint256 internal bob0;

    function setUp() public override {
        super.setUp();
        (address op, uint256 opKey) = makeAddrAndKey("operator");
        vm.deal(op, 1 ether);
        Utxo memory opDep = _depositETH(op, 0.01 ether);
        Utxo memory dep;
        (dep, payTx, id) = _startAlicePaysBob();
        _piggybackOutput(bob, payTx, 0);
        _piggybackOutput(alice, payTx, 1);
        alice0 = alice.balance;
        bob0 = bob.balance;
        handler = new ByzantineOperatorHandler(
            rootChain,
            op,
            opKey,
            payTx,
            ByzantineOperatorHandler.Utxo(dep.pos, dep.txBytes, dep.proof, dep.timestamp),
            ByzantineOperatorHandler.Utxo(opDep.pos, opDep.txBytes, opDep.proof, opDep.timestamp)
        );
        targetContract(address(handler));
    }

    /// @notice Bonds and deferred payouts are always covered by the vault's ETH.
    function invariant_liabilitiesCovered() public view {
        assertGe(address(rootChain).balance, rootChain.bondsHeld() + rootChain.reserved(address(0)));
    }

    /// @notice After everything matures, alice and bob have recovered their money.
    function afterInvariant() public {
        vm.warp(block.timestamp + 10 * MEP);
        while (rootChain.exitQueueLength(address(0)) != 0) {
            vm.prank(keeper);
            if (rootChain.processExits(address(0), 20) == 0) break;
        }
        assertTrue(_view(id).finalized);
        assertGe(bob.balance, bob0 + 0.6 ether);
        assertGe(alice.balance, alice0 + 0.4 ether);
    }
}
