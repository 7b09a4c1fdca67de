{% macro only_touched(report_id, keyword='where', touched='int_reports__touched') -%}
    {#- In an incremental run, `<keyword> <report_id> is a version of int_reports__touched`
        (or, with touched='int_bodies__touched', `<body_key> is one of its bodies`), as a list
        of literals when few (macro touched_match); in a full build nothing at all, so that the build's SQL (and
        DuckDB's plan) is the same as a plain table's. The model must declare
        `-- depends_on: {{ ref('int_reports__touched') }}` (or the bodies' model). -#}
    {%- if is_incremental() -%}
        {%- set column = 'body_key' if touched == 'int_bodies__touched' else 'report_id' -%}
        {{ keyword }} {{ touched_match(report_id, ref(touched), column) }}
    {%- endif -%}
{%- endmacro %}
