export const PLUGIN_ID = 'privacy-centre';
