{% macro only_touched(report_id, keyword='where', touched='int_reports__touched') -%}
    {#- In an incremental run, `<keyword> <report_id> in (the versions of int_reports__touched)`
        (or, with touched='int_bodies__touched', `<body_key> in (its bodies)`), as literals when
        few (macro touched_ids); in a full build nothing at all, so that the build's SQL (and
        DuckDB's plan) is the same as a plain table's. The model must declare
        `-- depends_on: {{ ref('int_reports__touched') }}` (or the bodies' model). -#}
    {%- if is_incremental() -%}
        {%- set column = 'body_key' if touched == 'int_bodies__touched' else 'report_id' -%}
        {{ keyword }} {{ report_id }} in {{ touched_ids(ref(touched), column) }}
    {%- endif -%}
{%- endmacro %}
