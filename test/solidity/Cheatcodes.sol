// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @notice The few cheatcodes of Hardhat's Solidity test runner (EDR, Foundry-compatible) these
/// tests use. forge-std is not on the npm registry in a usable form, so the interface is declared
/// here; the signatures are those of Foundry's `Vm` cheatcode interface.
interface Cheatcodes {
    /// Reads a file (relative to the project root); needs `test.solidity.fsPermissions`.
    function readFile(string calldata path) external view returns (string memory);
    function parseJsonBytes(string calldata json, string calldata key) external pure returns (bytes memory);
    function parseJsonUint(string calldata json, string calldata key) external pure returns (uint256);
    function parseJsonInt(string calldata json, string calldata key) external pure returns (int256);
    function parseJsonUintArray(string calldata json, string calldata key) external pure returns (uint256[] memory);
    function parseJsonAddress(string calldata json, string calldata key) external pure returns (address);
    function deal(address account, uint256 balance) external;
    function prank(address sender) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert() external;
}

// The cheatcode contract's fixed address: address(uint160(uint256(keccak256("hevm cheat code")))).
Cheatcodes constant vm = Cheatcodes(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
