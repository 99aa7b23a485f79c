// The admin languages of the test app and the demo: the plugin ships en, fi, et and de.
export default {
  config: { locales: ['fi', 'et', 'de'] },
  bootstrap() {},
};
