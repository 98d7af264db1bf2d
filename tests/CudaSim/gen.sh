#!/bin/sh
# gen.sh SRC NAME OUTDIR KDIR SIMDIR: writes OUTDIR/NAME.cu (extern __shared__ rewritten) and OUTDIR/NAME.cpp (wrapper).
set -eu
src=$1; name=$2; out=$3; kdir=$4; sim=$5
# extern __shared__ [__align__(n)] TYPE NAME[];  ->  #define NAME ((TYPE*)cudasim::dyn_smem())
sed -E 's/^[[:space:]]*extern[[:space:]]+__shared__[[:space:]]+(__align__\([0-9]+\)[[:space:]]+)?([A-Za-z_][A-Za-z0-9_ ]*[A-Za-z0-9_])[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\[\][[:space:]]*;.*$/#define \3 ((\2*)cudasim::dyn_smem())/' \
  "$src" > "$out/$name.cu.body"
{ echo "#line 1 \"$src\""; cat "$out/$name.cu.body"; } > "$out/$name.cu"; rm -f "$out/$name.cu.body"
names=$(${CXX:-g++} -std=c++17 -E -P -x c++ -DCUDASIM_NAMES_PASS -I"$sim" -I"$kdir" -I"$(dirname "$src")" -include "$sim/shim.h" "$out/$name.cu" \
  | grep -oE '__cudasim_kernel__[[:space:]]+void[[:space:]]+[A-Za-z_][A-Za-z0-9_]*' | awk '{print $3}' | sort -u)
{
  echo "#include \"shim.h\""
  echo "#include \"registry.h\""
  echo "namespace cudasim_file_$name {"
  echo "#include \"$name.cu\""
  echo "}"
  i=0
  for k in $names; do
    echo "static auto reg_$i = cudasim::make_registrar(\"$k\", &cudasim_file_$name::$k);"
    i=$((i+1))
  done
} > "$out/$name.cpp.tmp"
mv "$out/$name.cpp.tmp" "$out/$name.cpp"
