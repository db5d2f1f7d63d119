"""The build plugin's pieces (community_app/pagespeed): stylesheet pruning and page rewrite."""

from __future__ import annotations

import pytest

from community_app.i18n import catalogue
from community_app.i18n import client as client_catalogue
from community_app.pagespeed import css as css_prune
from community_app.pagespeed import drop_stylesheet_links
from community_app.pagespeed import html as html_rewrite

BUILT = ['jsx("button",{className:"rt-Button"})', 'size:{type:`enum`,className:`rt-r-size`', 'theme:"dark"', 'cls:"rt-variant"', 'v:"soft"', "{className:`rt-r-gtc`}",
         'columns:{type:`enum | string`,className:`rt-r-gtc`', 'x:"3"', '<div class="app card">']
APP = ['jsx(Grid,{columns:({ ["initial"] : "1", ["md"] : "3" })})', 'color:"red"', 'accentColor:"teal"']


def usage(light_only=False):
    return css_prune.usage_from(BUILT, APP, light_only=light_only)


def kept(css: str, light_only=False) -> str:
    return css_prune.prune(css, usage(light_only))


def test_rules_for_classes_the_app_never_uses_go():
    out = kept(".rt-Button{a:1}.rt-Select{b:2}.card,.rt-SelectTrigger{c:3}.rt-Select .app{d:4}")
    assert ".rt-Button{a:1}" in out
    assert ".rt-Select" not in out and "d:4" not in out
    assert ".card{c:3}" in out  # one selector of the list is enough, the others go


def test_our_own_classes_all_stay():
    """app.css classes are often assembled from state (sb-status-<status>): never pruned."""
    out = kept(".sb-status-submitted{a:1}.app .never-seen{b:2}")
    assert ".sb-status-submitted{a:1}" in out and ".app .never-seen{b:2}" in out


def test_prop_classes_assembled_at_run_time_stay():
    out = kept(".rt-Button:where(.rt-variant-soft){a:1}.rt-Button:where(.rt-variant-ghost){b:2}"
               ".rt-r-size-3{c:3}")
    assert "rt-variant-soft" in out and "rt-r-size-3" in out
    assert "ghost" not in out  # "ghost" appears nowhere in the app


def test_responsive_classes_only_as_the_pages_ask():
    out = kept("@media (width>=768px){.md\\:rt-r-gtc-3{a:1}.md\\:rt-r-gtc-2{b:2}.md\\:rt-r-size-3{c:3}}"
               "@media (width>=520px){.xs\\:rt-r-gtc-3{d:4}}")
    assert "md\\:rt-r-gtc-3{a:1}" in out
    assert "gtc-2" not in out and "md\\:rt-r-size" not in out and "xs" not in out


def test_colour_scales_only_for_the_colours_used():
    css = (":root,.light{--gray-1:#fff;--teal-1:#0f0;--tomato-1:#f00;--red-9:#c00}"
           "[data-accent-color=tomato]{--accent-1:var(--tomato-1)}[data-accent-color=red]{--accent-1:var(--red-1)}"
           ".dark,.dark-theme{--teal-1:#000}")
    out = kept(css)
    assert "--teal-1:#0f0" in out and "--red-9" in out and "--gray-1" in out
    assert "tomato" not in out
    assert "[data-accent-color=red]" in out
    assert ".dark" in out  # the JS names a dark theme: only light_only drops its colours
    assert ".dark" not in kept(css, light_only=True)


def test_functional_pseudo_classes():
    out = kept(":where(.rt-Button,.rt-Select) .x{a:1}:is(.rt-Select){b:2}.rt-Button:not(.rt-Select){c:3}"
               ".card:has(>.rt-Select){d:4}")
    assert ":where(.rt-Button,.rt-Select) .x{a:1}" in out
    assert "b:2" not in out and "d:4" not in out
    assert "c:3" in out  # :not() never rules a selector out


def test_unused_keyframes_go_and_used_ones_stay():
    out = kept("@keyframes rt-spin{to{transform:rotate(1turn)}}@keyframes rt-unused{}"
               ".rt-Button{animation:rt-spin 1s}")
    assert "@keyframes rt-spin" in out and "rt-unused" not in out


def test_at_rules_that_end_up_empty_go():
    assert kept("@media (width>=520px){.rt-Select{a:1}}@layer x{.rt-Select{b:2}}").strip() == ""


PAGE = (
    '<html><head><link as="style" href="/assets/g-1.css" rel="preload"/>'
    '<link rel="modulepreload" href="/assets/manifest-1.js"/><link rel="modulepreload" href="/assets/root-1.js"/>'
    '<link href="/assets/g-1.css" rel="stylesheet" type="text/css"/></head><body><p>你好</p>'
    '<script type="module" async="">import "/assets/manifest-1.js";\n'
    'import * as route0 from "/assets/root-1.js";\nimport * as route1 from "/assets/_index-1.js";\n  \n'
    '  window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};\n\n'
    'import("/assets/entry.client-1.js");</script></body></html>'
)


def test_page_rewrite_inlines_css_and_defers_the_modules():
    out = html_rewrite.rewrite(PAGE, ".a{b:c}")
    assert '<link rel="modulepreload"' not in out and "g-1.css" not in out
    assert out.count("<style data-inline-css>.a{b:c}</style></head>") == 1
    assert 'const [route0, route1] = await Promise.all([import("/assets/root-1.js"), import("/assets/_index-1.js")]);' in out
    assert 'window.__reactRouterRouteModules = {"root":route0,"routes/_index":route1};' in out
    assert out.index('await import("/assets/manifest-1.js")') < out.index("Promise.all") < out.index("entry.client-1.js")
    assert "requestAnimationFrame(() => setTimeout(boot, 0))" in out
    # The preload hints leave the head and are all fetched when the boot starts, before its
    # first import waits for anything.
    assert out.index('["/assets/manifest-1.js", "/assets/root-1.js"]') < out.index('await import("/assets/manifest-1.js")')
    assert 'link.rel = "modulepreload"' in out and out.index("<body>") < out.index("modulepreload")
    assert "<p>你好</p>" in out
    assert "</head><body>" + html_rewrite.PREHYDRATION_GUARD + "<p>" in out  # first in the body


def test_page_rewrite_parts_can_be_turned_off():
    assert html_rewrite.rewrite(PAGE, None, boot=False) == PAGE
    only_boot = html_rewrite.rewrite(PAGE, None)
    assert "g-1.css" in only_boot and '<link rel="modulepreload"' not in only_boot


def test_page_rewrite_refuses_what_it_does_not_know():
    with pytest.raises(html_rewrite.UnexpectedPage):
        html_rewrite.rewrite("<html><head></head><body><script type=module>x()</script></body></html>", ".a{}")
    with pytest.raises(html_rewrite.UnexpectedPage):
        html_rewrite.rewrite(PAGE, ".a{content:'</style>'}")


def test_document_loses_its_stylesheet_links_but_keeps_the_url():
    doc = ('import reflexGlobalStyles from "$/styles/__reflex_global_styles.css?url"\n'
           'jsx("head",{},jsx(Meta,{},),jsx("link",{as:"style",href:reflexGlobalStyles,rel:"preload"},),'
           'jsx("link",{href:reflexGlobalStyles,rel:"stylesheet",type:"text/css"},),jsx(Links,{},))')
    out = drop_stylesheet_links(doc)
    assert 'jsx("link"' not in out and "jsx(Links,{},)" in out
    assert "globalThis.__globalStylesheet = reflexGlobalStyles;" in out
    with pytest.raises(html_rewrite.UnexpectedPage):
        drop_stylesheet_links("nothing here")


def test_client_catalogue_texts_and_module():
    from community_app.state.base import AppState

    compiled = str(client_catalogue.text("nav.home", AppState.locale))
    assert '"Home"' in compiled and "\\u9996\\u9875" in compiled  # 首页, as a JS string
    assert "linliCatalogues" not in compiled
    assert str(AppState.tr["nav.home"]) == compiled
    looked_up = AppState.tr["care." + AppState.user_name]
    assert "linliCatalogues" in str(looked_up)
    source = client_catalogue.module_source()
    assert source.startswith("export const linliCatalogues = ")
    assert '"nav.home": "首页"' in source and '"nav.home": "Home"' in source
    assert len(catalogue("zh_CN")) > 100


def test_lucide_and_radix_are_a_chunk_each_in_the_vite_config():
    from community_app.pagespeed import CHUNK_GROUPS, group_chunks

    config = 'output: {\n  codeSplitting: {\n    groups: [\n      { test: /env.json/, name: "reflex-env" },\n    ],\n  },\n}'
    out = group_chunks(config)
    for group in CHUNK_GROUPS:
        assert out.count(group) == 1 and out.index(group) < out.index("reflex-env")
    assert 'name: "icons"' in out and 'name: "radix"' in out
    assert group_chunks(out) == out  # a second build of the same folder adds nothing
    with pytest.raises(html_rewrite.UnexpectedPage):
        group_chunks("export default {}")


def test_a_chunk_of_every_lucide_icon_stops_the_build(tmp_path):
    from community_app.pagespeed import ICONS_MAX_BYTES, check_icon_chunk

    (tmp_path / "icons-a1.js").write_text("x" * 1000)
    check_icon_chunk(tmp_path)
    (tmp_path / "icons-a1.js").write_text("x" * (ICONS_MAX_BYTES + 1))
    with pytest.raises(html_rewrite.UnexpectedPage, match="rx.icon"):
        check_icon_chunk(tmp_path)
