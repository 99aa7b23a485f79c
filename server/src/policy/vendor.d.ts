// markdown-it-deflist ships no types; it is a markdown-it plugin like any other.
declare module 'markdown-it-deflist' {
  import type MarkdownIt from 'markdown-it';
  const plugin: MarkdownIt.PluginSimple;
  export default plugin;
}
