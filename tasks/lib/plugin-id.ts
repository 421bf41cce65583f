/** The plugin's npm name, also its Hardhat plugin id (kept apart from plugin-paths so the plugin entry reads no file). */
export const PACKAGE_NAME = "hardhat-zkml";
