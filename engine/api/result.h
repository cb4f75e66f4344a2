#pragma once

#include "engineerror.h"

#include <optional>
#include <utility>
#include <variant>

namespace fs {

// The return type of every fallible engine function: a value or an EngineError, never an exception.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value))
    {
    }
    Result(EngineError error)
        : m_data(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<0>(m_data); }
    T &value() & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }

    const EngineError &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, EngineError> m_data;
};

// Result<void>: success or an error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(EngineError error)
        : m_error(std::move(error))
    {
    }
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const EngineError &error() const { return *m_error; }

private:
    std::optional<EngineError> m_error;
};

} // namespace fs
