import { PLUGIN_ID } from './pluginId';

// Minimal registration; the admin shell (menu, pages) is filled in by admin/src/pages.
export default {
  register(app: any) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Privacy Centre' });
  },
  async registerTrads() {
    return [];
  },
};
