{% macro only_touched(key='report_id', keyword='where', on=none) -%}
    {#- In an incremental run, `<keyword>` and a condition (touched_match): the key's columns (or
        the expressions `on`, e.g. a joined table's report_id) hold touched values of `key`
        (macro touched_keys: report_id, body_key or peer_group); in a full build nothing at all,
        so that the build's SQL (and DuckDB's plan) is the same as a plain table's. The model must
        declare `-- depends_on: {{ ref('<the key's touched view>') }}`. -#}
    {%- if is_incremental() -%}
        {%- set spec = touched_keys(key) -%}
        {{ keyword }} {{ touched_match(on or spec.columns, ref(spec.touched), spec.columns) }}
    {%- endif -%}
{%- endmacro %}
