/**
 * tests/helpers/find-browser.js on machines described by a fake file system (executables and
 * directory listings), for Linux, macOS and Windows.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { findBrowser, playwrightRevision } = require('../helpers/find-browser');

const machine = (executables: string[]) => {
  const files = new Set(executables);
  return {
    isExecutable: (file: string) => files.has(file),
    list: (dir: string) => {
      const names = new Set<string>();
      for (const file of files) {
        if (file.startsWith(`${dir}/`) || file.startsWith(`${dir}\\`)) names.add(file.slice(dir.length + 1).split(/[\\/]/)[0]);
      }
      return [...names];
    },
  };
};
const linux = (env: Record<string, string>, executables: string[]) =>
  findBrowser({ env: { HOME: '/home/ada', ...env }, platform: 'linux', fsLike: machine(executables) });

describe('findBrowser', () => {
  test('CHROMIUM_PATH wins over everything else', () => {
    expect(linux({ CHROMIUM_PATH: '/srv/chrome', PATH: '/usr/bin' }, ['/srv/chrome', '/usr/bin/chromium'])).toEqual({ path: '/srv/chrome', source: 'CHROMIUM_PATH' });
  });

  test('a CHROMIUM_PATH that is no executable is reported, not replaced by another browser', () => {
    const found = linux({ CHROMIUM_PATH: '/nowhere/chrome', PATH: '/usr/bin' }, ['/usr/bin/chromium']);
    expect(found.path).toBeNull();
    expect(found.reason).toMatch(/^CHROMIUM_PATH=\/nowhere\/chrome is not an executable file/);
  });

  test('Linux: the names on PATH, in order, then snap and /opt', () => {
    expect(linux({ PATH: '/usr/local/bin:/usr/bin' }, ['/usr/bin/google-chrome', '/usr/bin/chromium-browser']).path).toBe('/usr/bin/chromium-browser');
    expect(linux({ PATH: '/usr/local/bin:/usr/bin' }, ['/usr/bin/google-chrome-stable']).path).toBe('/usr/bin/google-chrome-stable');
    expect(linux({ PATH: '/usr/bin' }, ['/snap/bin/chromium']).path).toBe('/snap/bin/chromium');
    expect(linux({ PATH: '' }, ['/opt/google/chrome/chrome']).path).toBe('/opt/google/chrome/chrome');
    // Not on PATH, not a usual location: not found.
    expect(linux({ PATH: '/usr/local/bin' }, ['/usr/bin/chromium']).path).toBeNull();
  });

  test("Linux: Playwright's cache, the revision playwright-core drives first, old and new layouts", () => {
    const wanted = playwrightRevision();
    expect(wanted).toMatch(/^\d+$/);
    const cache = '/home/ada/.cache/ms-playwright';
    const found = linux({ PATH: '/usr/bin' }, [`${cache}/chromium-9999/chrome-linux64/chrome`, `${cache}/chromium-${wanted}/chrome-linux/chrome`, `${cache}/chromium-1000/chrome-linux/chrome`]);
    expect(found).toEqual({ path: `${cache}/chromium-${wanted}/chrome-linux/chrome`, source: 'playwright' });
    // Otherwise the newest; other directories of the cache are ignored.
    expect(linux({}, [`${cache}/chromium-1000/chrome-linux/chrome`, `${cache}/chromium-1200/chrome-linux64/chrome`, `${cache}/ffmpeg-1/ffmpeg`]).path).toBe(
      `${cache}/chromium-1200/chrome-linux64/chrome`
    );
    expect(linux({ XDG_CACHE_HOME: '/var/cache/ada' }, ['/var/cache/ada/ms-playwright/chromium-1/chrome-linux/chrome']).path).toBe('/var/cache/ada/ms-playwright/chromium-1/chrome-linux/chrome');
    expect(linux({ PLAYWRIGHT_BROWSERS_PATH: '/pw' }, ['/pw/chromium-7/chrome-linux/chrome', `${cache}/chromium-8/chrome-linux/chrome`]).path).toBe('/pw/chromium-7/chrome-linux/chrome');
  });

  test('macOS: /Applications, ~/Applications, then the cache in ~/Library/Caches', () => {
    const mac = (executables: string[]) => findBrowser({ env: { HOME: '/Users/ada', PATH: '/usr/bin' }, platform: 'darwin', fsLike: machine(executables) }).path;
    expect(mac(['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'])).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
    );
    expect(mac(['/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium'])).toBe('/Users/ada/Applications/Chromium.app/Contents/MacOS/Chromium');
    const cached = '/Users/ada/Library/Caches/ms-playwright/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing';
    expect(mac([cached])).toBe(cached);
    expect(mac(['/usr/bin/chromium'])).toBeNull();
  });

  test('Windows: Program Files, LOCALAPPDATA, then %LOCALAPPDATA%\\ms-playwright', () => {
    const env = { USERPROFILE: 'C:\\Users\\ada', PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' };
    const win = (executables: string[]) => findBrowser({ env, platform: 'win32', fsLike: machine(executables) }).path;
    expect(win(['C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'])).toBe('C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
    expect(win(['C:\\Users\\ada\\AppData\\Local\\Chromium\\Application\\chrome.exe'])).toBe('C:\\Users\\ada\\AppData\\Local\\Chromium\\Application\\chrome.exe');
    const cached = 'C:\\Users\\ada\\AppData\\Local\\ms-playwright\\chromium-1200\\chrome-win\\chrome.exe';
    expect(win([cached])).toBe(cached);
  });

  test('nothing anywhere: the reason says where it looked and how to get one', () => {
    const found = linux({ PATH: '/usr/bin' }, []);
    expect(found.path).toBeNull();
    expect(found.reason).toMatch(/no Chromium or Chrome found .*apt-get install chromium.*npx playwright-core install chromium.*CHROMIUM_PATH/);
  });
});
