// Kernel registry of the simulator: every extern "C" __global__ function of every simulated .cu file is registered
// with its parameter types (deduced from the function pointer), so a launch can unpack the driver's argument
// buffer and check it against the kernel's signature.
#pragma once
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace cudasim {
struct Param {
    size_t size, align;
    bool pointer;
    std::string type;
};

struct Kernel {
    std::string name;
    std::vector<Param> params;
    void (*invoke)(void* fn, void** args);
    void* fn;
};

void register_kernel(Kernel k);
const Kernel* find_kernel(const char* name);

template <class T> std::string type_name() {
    if (std::is_pointer<T>::value) return "pointer";
    if (std::is_same<T, float>::value) return "float";
    if (std::is_same<T, double>::value) return "double";
    if (std::is_same<T, int>::value) return "int";
    if (std::is_same<T, unsigned int>::value) return "unsigned int";
    if (std::is_same<T, long>::value || std::is_same<T, long long>::value) return "int64";
    if (std::is_same<T, unsigned long>::value || std::is_same<T, unsigned long long>::value) return "uint64";
    return std::string("struct of ") + std::to_string(sizeof(T)) + " bytes";
}

template <class... A> struct Registrar {
    template <size_t... I> static void call(void* fn, void** args, std::index_sequence<I...>) {
        reinterpret_cast<void (*)(A...)>(fn)(*static_cast<std::remove_reference_t<A>*>(args[I])...);
    }
    static void invoke(void* fn, void** args) { call(fn, args, std::index_sequence_for<A...>{}); }
    Registrar(const char* name, void (*f)(A...)) {
        Kernel k{name, {Param{sizeof(A), alignof(A), std::is_pointer<A>::value, type_name<A>()}...}, &invoke,
                 reinterpret_cast<void*>(f)};
        register_kernel(std::move(k));
    }
};
template <class... A> Registrar<A...> make_registrar(const char* name, void (*f)(A...)) { return Registrar<A...>(name, f); }
}  // namespace cudasim
