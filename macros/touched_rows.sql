{% macro touched_rows(relation, key=none) -%}
    {#- In a run that rebuilds only the touched report versions (a refresh: environment variable
        XXGK_DBT_TESTS=touched, set by ingest/warehouse/dbt.py, and no --full-refresh), the rows of
        `relation` whose `key` is a version of int_reports__touched, as a subquery; otherwise
        `relation` itself. `key` defaults to the relation's model meta `touched_key`: a model
        declares it when its rows are keyed by report version and only the touched versions'
        rows can differ from the last build (incremental models, views over raw or over them).
        Read at run time from the graph, once per run (run_cache: schema.name -> touched_key, and
        the relation of int_reports__touched, without the database like every ref); while
        parsing, `relation` unchanged. -#}
    {%- if not execute or flags.FULL_REFRESH or env_var('XXGK_DBT_TESTS', 'all') != 'touched' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set cache = run_cache() -%}
    {%- if 'touched_keys' not in cache -%}
        {%- set keys, versions = {}, [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.config.meta.get('touched_key') -%}
                {%- do keys.setdefault(node.schema ~ '.' ~ node.alias, node.config.meta.get('touched_key')) -%}
            {%- endif -%}
            {%- if node.name == 'int_reports__touched' and node.resource_type in ('model', 'seed') -%}
                {%- do versions.append(api.Relation.create(schema=node.schema, identifier=node.alias)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do cache.update({'touched_versions': versions[0] if versions else none, 'touched_keys': keys}) -%}
    {%- endif -%}
    {%- set key = key if key is not none else cache['touched_keys'].get(relation.schema ~ '.' ~ relation.identifier) -%}
    {%- if not key or cache['touched_versions'] is none -%}{{ return(relation) }}{%- endif -%}
    {{ return("(select * from " ~ relation ~ " where " ~ touched_match(key, cache['touched_versions']) ~ ")") }}
{%- endmacro %}
